import { basename } from './shell';

/** One `pip install` (or `pip3`, `python -m pip`, `uv pip install`) found in a shell command. */
export interface PipInstall {
  tool: 'pip' | 'uv';
  /** Words before the pip executable, e.g. inline `PIP_NO_CACHE_DIR=1`. */
  prefix: string[];
  /** Everything after the executable except the `install` word (global options included). */
  args: string[];
}

export interface InstallArgs {
  flags: Set<string>;
  values: Map<string, string[]>;
  requirements: string[];
}

const PIP = /^pip(\d+(\.\d+)*)?$/;
const PYTHON = /^python(\d+(\.\d+)*)?$/;

/** Short spellings folded into their long names so rules check one name. */
const ALIASES: Record<string, string> = {
  '-r': '--requirement',
  '-c': '--constraint',
  '-e': '--editable',
  '-i': '--index-url',
  '-f': '--find-links',
  '-t': '--target',
  '-C': '--config-settings',
  '-p': '--python',
  '-U': '--upgrade',
  '-n': '--no-cache',
  '-q': '--quiet',
  '-v': '--verbose',
};

/** pip/uv install options that take a value, so the value is not read as a requirement. */
const WITH_VALUE = new Set(
  (
    '--requirement --constraint --editable --index-url --extra-index-url --find-links --target ' +
    '--prefix --root --src --upgrade-strategy --config-settings --global-option --no-binary ' +
    '--only-binary --platform --python-version --implementation --abi --progress-bar --report ' +
    '--root-user-action --log --proxy --retries --timeout --exists-action --trusted-host --cert ' +
    '--client-cert --cache-dir --use-feature --use-deprecated --python --index-strategy ' +
    '--keyring-provider --resolution --prerelease --extra --override --exclude-newer --link-mode --index'
  ).split(' '),
);

export function findPipInstall(cmd: string[]): PipInstall | undefined {
  for (let i = 0; i < cmd.length; i++) {
    const word = basename(cmd[i]!);
    let at = -1;
    if (PIP.test(word)) at = i + 1;
    else if (PYTHON.test(word) && cmd[i + 1] === '-m' && cmd[i + 2] === 'pip') at = i + 3;
    else if (word === 'uv' && cmd[i + 1] === 'pip') at = i + 2;
    if (at < 0) continue;
    const globals: string[] = [];
    while (cmd[at]?.startsWith('-')) globals.push(cmd[at++]!);
    if (cmd[at] !== 'install') continue;
    return {
      tool: word === 'uv' ? 'uv' : 'pip',
      prefix: cmd.slice(0, i),
      args: [...globals, ...cmd.slice(at + 1)],
    };
  }
  return undefined;
}

export function parseInstallArgs(args: string[]): InstallArgs {
  const out: InstallArgs = { flags: new Set(), values: new Map(), requirements: [] };
  const addValue = (k: string, v: string) => out.values.set(k, [...(out.values.get(k) ?? []), v]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (/^(\d*|&)[<>]/.test(arg)) {
      if (/^(\d*|&)[<>]+&?$/.test(arg)) i++; // a redirect operator alone: its target is the next word
    } else if (arg.startsWith('--') && arg.includes('=')) {
      const eq = arg.indexOf('=');
      addValue(arg.slice(0, eq), arg.slice(eq + 1));
    } else if (arg.startsWith('-')) {
      const name = ALIASES[arg] ?? arg;
      if (WITH_VALUE.has(name)) addValue(name, args[++i] ?? '');
      else out.flags.add(name);
    } else if (arg === '@' && out.requirements.length) {
      out.requirements.push(`${out.requirements.pop()} @ ${args[++i] ?? ''}`); // `name @ url`, spaced
    } else {
      out.requirements.push(arg);
    }
  }
  return out;
}

/**
 * Whether a requirement pins an exact version. 'other' is not a named requirement we can judge:
 * a path, a URL, or a name coming from a shell variable.
 */
export function requirementPin(req: string): 'pinned' | 'unpinned' | 'other' {
  const m = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?(.*)$/s.exec(req);
  const spec = m?.[2]!.split(';')[0]!.trim() ?? ''; // environment markers do not pin
  if (spec.startsWith('@')) return 'pinned'; // `name @ url`: a direct reference to one artifact
  const pathOrUrl = /^[.~/$]/.test(req) || /^[a-z][a-z0-9+.-]*:/i.test(req);
  if (!m || pathOrUrl || /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(req) || spec.startsWith('$')) {
    return 'other';
  }
  // `==1.2` and `===1.2` pin; `==1.*` is a range in disguise.
  return spec.split(',').some((c) => /^===?\s*[^\s*]+$/.test(c.trim())) ? 'pinned' : 'unpinned';
}
