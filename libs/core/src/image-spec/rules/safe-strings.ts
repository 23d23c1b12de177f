import type { Diagnostic } from '../../errors';
import type { FieldPath } from '../parse-document';
import { at, type Rule } from './rule';

// Any control character (newline, carriage return, NUL, escape...) in a spec string could end a
// Dockerfile line and start a new instruction, so none is allowed anywhere.
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

function describeChar(s: string): string {
  const m = CONTROL.exec(s);
  const code = m ? m[0].charCodeAt(0) : 0;
  const names: Record<number, string> = {
    10: 'a newline',
    13: 'a carriage return',
    9: 'a tab',
    0: 'a NUL byte',
  };
  return names[code] ?? `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

export const safeStrings: Rule = {
  id: 'safe-strings',
  check(ctx) {
    const out: Diagnostic[] = [];
    const walk = (value: unknown, path: FieldPath) => {
      if (typeof value === 'string') {
        if (CONTROL.test(value)) {
          out.push(
            at(
              ctx,
              path,
              `contains ${describeChar(value)}`,
              'write it on one line without control characters; use several list entries for several commands',
            ),
          );
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...path, i]));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (CONTROL.test(k))
            out.push(
              at(
                ctx,
                [...path, k],
                `key contains ${describeChar(k)}`,
                'remove the control character from the key',
                true,
              ),
            );
          walk(v, [...path, k]);
        }
      }
    };
    walk(ctx.spec, []);
    return out;
  },
};
