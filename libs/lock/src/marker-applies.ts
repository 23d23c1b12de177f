/**
 * Whether a PEP 508 environment marker holds on a Linux CPython image, so that pip installs the
 * package there. Variables it does not know (extra, platform_release...) count as true: when in
 * doubt the package is treated as installed, so a check never passes by skipping it.
 * https://packaging.python.org/en/latest/specifications/dependency-specifiers/#environment-markers
 */
export function markerApplies(marker: string | undefined, env: MarkerEnv): boolean {
  if (!marker?.trim()) return true;
  try {
    const p = new Parser(marker, env);
    const value = p.or();
    return p.done() ? value : true;
  } catch {
    return true;
  }
}

export interface MarkerEnv {
  python: string;
  /** platform_machine: x86_64, aarch64. */
  arch: string;
}

function variables(env: MarkerEnv): Record<string, string> {
  return {
    python_version: env.python,
    python_full_version: `${env.python}.0`,
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    platform_machine: env.arch,
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  };
}

const TOKEN =
  /\s*(\(|\)|===|==|!=|<=|>=|~=|<|>|not in\b|in\b|and\b|or\b|"[^"]*"|'[^']*'|[A-Za-z_.][\w.]*)/y;

class Parser {
  private tokens: string[] = [];
  private i = 0;
  private vars: Record<string, string>;

  constructor(text: string, env: MarkerEnv) {
    this.vars = variables(env);
    let pos = 0;
    let m: RegExpExecArray | null;
    while (((TOKEN.lastIndex = pos), (m = TOKEN.exec(text)))) {
      this.tokens.push(m[1] ?? '');
      pos = TOKEN.lastIndex;
    }
    if (text.slice(pos).trim()) throw new Error('unparsed marker');
  }

  done(): boolean {
    return this.i === this.tokens.length;
  }

  or(): boolean {
    let v = this.and();
    while (this.tokens[this.i] === 'or') {
      this.i++;
      const r = this.and();
      v = v || r;
    }
    return v;
  }

  private and(): boolean {
    let v = this.atom();
    while (this.tokens[this.i] === 'and') {
      this.i++;
      const r = this.atom();
      v = v && r;
    }
    return v;
  }

  private atom(): boolean {
    if (this.tokens[this.i] === '(') {
      this.i++;
      const v = this.or();
      if (this.tokens[this.i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    const left = this.tokens[this.i++];
    const op = this.tokens[this.i++];
    const right = this.tokens[this.i++];
    if (left === undefined || op === undefined || right === undefined) throw new Error('short');
    const l = this.value(left);
    const r = this.value(right);
    if (l === undefined || r === undefined) return true;
    const isVersion = /python(_full)?_version/.test(left) || /python(_full)?_version/.test(right);
    return compare(l, op, r, isVersion);
  }

  private value(token: string): string | undefined {
    if (/^["']/.test(token)) return token.slice(1, -1);
    return this.vars[token];
  }
}

function compare(l: string, op: string, r: string, isVersion: boolean): boolean {
  if (op === 'in') return r.includes(l);
  if (op === 'not in') return !r.includes(l);
  const c = isVersion ? versionCompare(l, r) : l < r ? -1 : l > r ? 1 : 0;
  switch (op) {
    case '==':
    case '===':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return true;
  }
}

function versionCompare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
