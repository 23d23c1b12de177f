import type { Check } from './validate-contract';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * One shell script that runs every in-container check of a contract, so a whole contract costs
 * one container start. Each result is a line starting with @@; command output is base64 so any
 * bytes survive. Pure.
 */
export function containerScript(
  checks: Check[],
  include: (c: Check) => boolean = () => true,
): string {
  const lines = [
    'run_check() { out=$(sh -c "$2" 2>&1); code=$?; printf "@@cmd %s %s " "$1" "$code"; printf "%s" "$out" | base64 | tr -d "\\n"; echo; }',
  ];
  checks.forEach((c, i) => {
    if (!include(c)) return;
    if (c.kind === 'command' && c.command) lines.push(`run_check ${i} ${q(c.command.run)}`);
    if (c.kind === 'file-exists' || c.kind === 'file-absent')
      lines.push(
        `if [ -e ${q(c.path!)} ]; then echo "@@file ${i} 1"; else echo "@@file ${i} 0"; fi`,
      );
  });
  const modules = checks.filter((c) => c.kind === 'import' && include(c)).map((c) => c.key!);
  if (modules.length > 0) {
    const py = [
      'import importlib, json, sys',
      'res = {}',
      `for m in ${JSON.stringify(modules)}:`,
      '    try:',
      '        mod = importlib.import_module(m)',
      '        res[m] = {"ok": True, "version": str(getattr(mod, "__version__", ""))}',
      '    except Exception as e:',
      '        res[m] = {"ok": False, "error": repr(e)}',
      'print("@@imports " + json.dumps(res))',
    ].join('\n');
    lines.push(
      `PY=$(command -v python || command -v python3); "$PY" -c ${q(py)} || echo "@@imports {}"`,
    );
  }
  lines.push('echo "@@uid $(id -u)"');
  return lines.join('\n');
}

export interface ContainerResults {
  commands: Map<number, { code: number; output: string }>;
  files: Map<number, boolean>;
  imports: Record<string, { ok: boolean; version?: string; error?: string }>;
  uid?: number;
}

export function parseResults(stdout: string): ContainerResults {
  const r: ContainerResults = { commands: new Map(), files: new Map(), imports: {} };
  for (const line of stdout.split('\n')) {
    const cmd = /^@@cmd (\d+) (\d+) ?(.*)$/.exec(line);
    if (cmd)
      r.commands.set(Number(cmd[1]), {
        code: Number(cmd[2]),
        output: Buffer.from(cmd[3] ?? '', 'base64').toString('utf8'),
      });
    const file = /^@@file (\d+) ([01])$/.exec(line);
    if (file) r.files.set(Number(file[1]), file[2] === '1');
    if (line.startsWith('@@imports ')) {
      try {
        r.imports = JSON.parse(line.slice('@@imports '.length));
      } catch {
        r.imports = {};
      }
    }
    const uid = /^@@uid (\d+)$/.exec(line);
    if (uid) r.uid = Number(uid[1]);
  }
  return r;
}
