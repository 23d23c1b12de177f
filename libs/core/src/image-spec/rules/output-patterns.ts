import { excerpt } from '../excerpt';
import { at, type Rule } from './rule';

/**
 * A check's `output:` is a JavaScript regular expression, matched multiline against the check's
 * output when validate runs (tools/imagesmith/src/workflows/validate/output-match.ts, which also bounds how
 * long a match may take). One that does not compile is refused here, at spec load, not after a build.
 */
export const outputPatterns: Rule = {
  id: 'output-patterns',
  check(ctx) {
    return (ctx.spec.tests?.commands ?? []).flatMap((command, i) => {
      if (typeof command?.output !== 'string') return [];
      try {
        new RegExp(command.output, 'm');
        return [];
      } catch (error) {
        const why = (error as Error).message.replace(/^Invalid regular expression: /, '');
        return [
          at(
            ctx,
            ['tests', 'commands', i, 'output'],
            `is not a valid regular expression: ${excerpt(why, 120)}`,
            'write a JavaScript regular expression; escape ( ) [ ] { } . * + ? with a backslash to match them literally (in YAML, single-quote the value so backslashes stay as written)',
          ),
        ];
      }
    });
  },
};
