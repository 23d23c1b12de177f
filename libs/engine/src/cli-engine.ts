import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoSecretInArgv, hostPlatform, validateBuildRequest } from './build-argv';
import { BuildLog, formatBuildFailure } from './build-log';
import { EngineError, excerpt, redact } from './errors';
import { defaultExec, type Exec, type ExecResult, type Which } from './exec';
import { normalizeImageId } from './image-info';
import type {
  BuildRequest,
  BuildResult,
  Container,
  ContainerRequest,
  Engine,
  EngineName,
  ExecRequest,
  ImageInfo,
  RunRequest,
  RunResult,
} from './types';

/** Options every engine accepts; all injectable for tests. */
export interface EngineOptions {
  /** The executable; found on PATH (docker: IMAGESMITH_DOCKER, then /usr/bin/docker) when left out. */
  binary?: string;
  /** Environment of every engine process (DOCKER_HOST, CONTAINER_HOST... pass through); process.env by default. */
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  which?: Which;
  /** Where private temp dirs (iidfile, secret files) go; os.tmpdir() by default. */
  tmpDir?: string;
  /** e.g. linux/amd64; this machine's by default. */
  hostPlatform?: string;
  /** buildah only: its --storage-driver (IMAGESMITH_BUILDAH_STORAGE_DRIVER, else overlay). */
  storageDriver?: string;
  /** docker only: the buildx builder (`docker buildx ls`); buildx's current builder when unset. */
  builder?: string;
}

/** What a build needs besides the shared streaming and failure handling. */
export interface PreparedBuild {
  argv: string[];
  env?: Record<string, string>;
  /** Secret values: redacted from streamed output and messages, and checked absent from argv. */
  secretValues: string[];
}

/** Options of one engine process call. */
export interface CallOptions {
  input?: string;
  env?: Record<string, string>;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * What the per-task command files (docker-containers.ts, buildah-manifest-list.ts...) use of an
 * engine: its process calls and failure messages, bound to it.
 */
export interface EngineCli {
  readonly name: EngineName;
  readonly binary: string;
  /** Flags that go before every subcommand (buildah --storage-driver). */
  globalArgs(): string[];
  call(args: readonly string[], o?: CallOptions): Promise<ExecResult>;
  runCall(args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  check(result: ExecResult, what: string, todo: string, secrets?: readonly string[]): ExecResult;
}

/** Shared plumbing of the CLI-driven engines: process calls, errors that say what to do, builds. */
export abstract class CliEngine implements Engine {
  abstract readonly name: EngineName;
  readonly binary: string;
  protected readonly env: NodeJS.ProcessEnv;
  protected readonly exec: Exec;
  protected readonly tmpRoot: string;
  protected readonly platform: string;

  constructor(binary: string, opts: EngineOptions = {}) {
    this.binary = binary;
    this.env = opts.env ?? process.env;
    this.exec = opts.exec ?? defaultExec;
    this.tmpRoot = opts.tmpDir ?? tmpdir();
    this.platform = opts.hostPlatform ?? hostPlatform();
  }

  abstract info(): Promise<void>;
  abstract run(req: RunRequest): Promise<RunResult>;
  abstract startContainer(req: ContainerRequest): Promise<Container>;
  abstract execContainer(c: Container, req: ExecRequest): Promise<RunResult>;
  abstract removeContainer(name: string): Promise<boolean>;
  abstract runningContainer(req: ContainerRequest): Promise<Container | null>;
  abstract inspect(ref: string): Promise<ImageInfo | null>;
  abstract tag(source: string, target: string): Promise<void>;
  abstract push(ref: string, opts?: { timeoutMs?: number }): Promise<{ digest?: string }>;
  abstract pull(ref: string): Promise<void>;
  abstract login(registry: string, username: string, password: string): Promise<void>;
  abstract history(ref: string): Promise<string[]>;
  abstract remove(ref: string): Promise<void>;

  /** Platforms the engine can build; null when it cannot tell (see Engine.platforms). */
  async platforms(): Promise<string[] | null> {
    return null;
  }

  async buildsIntoEngine(): Promise<boolean> {
    return true;
  }

  /** The manifest digest the build reported, read from its private temp dir; none by default. */
  protected builtDigest(_dir: string): string | undefined {
    return undefined;
  }

  /** The EngineError for a missing executable: how to install it. */
  protected abstract notInstalled(): EngineError;
  /** argv and env of one build; `dir` is a private temp dir removed afterwards. */
  protected abstract prepareBuild(
    req: BuildRequest,
    dir: string,
  ): Promise<PreparedBuild> | PreparedBuild;

  /** Flags that go before every subcommand (buildah --storage-driver). */
  protected globalArgs(): string[] {
    return [];
  }

  /** This engine's calls, for the command files; made on use (subclasses set `name` after super()). */
  protected get cli(): EngineCli {
    return {
      name: this.name,
      binary: this.binary,
      globalArgs: () => this.globalArgs(),
      call: (args, o) => this.call(args, o),
      runCall: (args, timeoutMs) => this.runCall(args, timeoutMs),
      check: (result, what, todo, secrets) => this.check(result, what, todo, secrets),
    };
  }

  protected async call(args: readonly string[], o: CallOptions = {}): Promise<ExecResult> {
    const result = await this.exec(this.binary, [...this.globalArgs(), ...args], {
      env: { ...this.env, ...o.env },
      input: o.input,
      onLine: o.onLine,
      timeoutMs: o.timeoutMs,
    });
    if (result.notFound) throw this.notInstalled();
    return result;
  }

  /** A container process: a non-zero exit is a result; past timeoutMs it is stopped and says so. */
  protected async runCall(args: readonly string[], timeoutMs?: number): Promise<RunResult> {
    const started = Date.now();
    const r = await this.call(args, { timeoutMs });
    const { exitCode, stdout } = r;
    // buildah run adds its own line for a non-zero exit; the exit code already says it.
    const stderr = r.stderr
      .replace(/^Error: while running runtime: exit status \d+$/m, '')
      .trimEnd();
    // Not just exit 124: buildah catches the SIGTERM of the time limit and exits with its own code.
    const timedOut =
      timeoutMs !== undefined && exitCode !== 0 && Date.now() - started >= timeoutMs - 50;
    return timedOut ? { exitCode, stdout, stderr, timedOut } : { exitCode, stdout, stderr };
  }

  /** Throws EngineError (output redacted) unless the call succeeded. */
  protected check(
    result: ExecResult,
    what: string,
    todo: string,
    secrets: readonly string[] = [],
  ): ExecResult {
    if (result.exitCode === 0) return result;
    const output = redact(excerpt(result.stderr || result.stdout), secrets);
    throw new EngineError(
      `${this.name} ${what} failed (exit code ${result.exitCode})${output ? `:\n${output}` : ''}\nWhat to do: ${todo}`,
      this.name,
    );
  }

  protected tempDir(prefix: string): string {
    return mkdtempSync(join(this.tmpRoot, `imagesmith-${prefix}-`));
  }

  async build(req: BuildRequest): Promise<BuildResult> {
    validateBuildRequest(req, this.name);
    const dir = this.tempDir('build');
    try {
      const prepared = await this.prepareBuild(req, dir);
      assertNoSecretInArgv(prepared.argv, prepared.secretValues, this.name);
      const log = new BuildLog(20);
      const result = await this.call(prepared.argv, {
        env: prepared.env,
        onLine: (raw) => {
          const line = redact(raw, prepared.secretValues);
          log.push(line);
          req.onOutput?.(line);
        },
      });
      if (result.exitCode !== 0) {
        throw new EngineError(
          redact(
            // A caller that took the output (onOutput) shows it once; the message adds no tail.
            formatBuildFailure(this.name, req.source ?? req.dockerfile, log, result.exitCode, {
              tail: !req.onOutput,
            }),
            prepared.secretValues,
          ),
          this.name,
        );
      }
      let iid = '';
      try {
        iid = readFileSync(join(dir, 'iid'), 'utf8').trim();
      } catch {
        // reported below
      }
      if (!iid) {
        throw new EngineError(
          `${this.name} build of ${req.source ?? req.dockerfile} reported success but wrote no image id: check the engine version (docker >= 25 with buildx, buildah >= 1.28)`,
          this.name,
        );
      }
      const digest = this.builtDigest(dir);
      return digest
        ? { imageId: normalizeImageId(iid), digest }
        : { imageId: normalizeImageId(iid) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** True when an engine's error output says the image does not exist. */
export function isNoSuchImage(result: ExecResult): boolean {
  return /no such image|image not known|no such object|image not found|unable to find image/i.test(
    `${result.stderr}\n${result.stdout}`,
  );
}

/** Lines of a command's stdout (without the trailing newline). */
export function lines(text: string): string[] {
  return text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
}
