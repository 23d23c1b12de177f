import { plural } from '@imagesmith/core';

/** What went wrong in a failed build, read from the engine's output. */
export interface BuildFailure {
  /** The failing step, e.g. `[builder 3/5] RUN pip install ...` or `STEP 3/5: RUN ...`. */
  step?: string;
  /** The engine's reason, e.g. `executor failed running [...]: exit code: 2`. */
  reason?: string;
  /** A hint about the environment (missing buildx, unreachable base image), when one applies. */
  hint?: string;
}

const BUILDKIT_HEADER = /^#(\d+) (\[[^\]]+\] .*)$/;
// `#11 0.205 about to fail`: what the step's own process printed (seconds since it started).
const BUILDKIT_OUTPUT = /^#(\d+) \d+\.\d+ (.*)$/;
// `Dockerfile:64` above the excerpt BuildKit prints of the failing instruction.
const BUILDKIT_LINE = /^(?:\S*\/)?Dockerfile:(\d+)$/;
const BUILDKIT_ERROR = /^#(\d+) ERROR:\s*(.*)$/;
// `#3 importing cache manifest from REF`: an absent --cache-from image is not a build failure.
const BUILDKIT_CACHE_IMPORT = /^#(\d+) importing cache manifest from /;
const BUILDKIT_SUMMARY = /^ > (\[[^\]]+\] .*):$/;
const SOLVE_ERROR = /^(?:error: |ERROR: )?(failed to solve.*|failed to compute cache key.*)$/;
const BUILDAH_STEP = /^((?:\[\d+\/\d+\] )?STEP \d+\/\d+: .*)$/;
const BUILDAH_ERROR = /^Error: (?:error )?building at STEP "(.*)": (.*)$/;
const CLASSIC_STEP = /^(Step \d+\/\d+ : .*)$/;
const CLASSIC_ERROR = /^(The command '.*' returned a non-zero code: \d+)$/;
const GENERIC_ERROR = /^(?:Error|ERROR|error): (.*)$/;
// Classic docker's own lines between a step's output: ` ---> Running in 1234`, `Removing ...`.
const CLASSIC_NOISE = /^(?: ---> |Removing intermediate container )/;

/**
 * Follows a build's output line by line (BuildKit plain progress, buildah/podman, classic docker)
 * and keeps only what a failure message needs: step headers, the first error, the last lines.
 */
export class BuildLog {
  private readonly headers = new Map<string, string>();
  private readonly cacheImports = new Set<string>();
  private readonly recent: string[] = [];
  /** BuildKit: each step's own output (its last `keep` lines), by vertex number. */
  private readonly outputs = new Map<string, string[]>();
  /** buildah, podman, classic docker: the output since the last step header. */
  private lastStepOutput: string[] = [];
  private lastStep: string | undefined;
  private failure: BuildFailure = {};
  private failedOutput: string[] | undefined;
  private line: number | undefined;
  private hint: string | undefined;

  constructor(private readonly keep = 20) {}

  push(rawLine: string): void {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim()) {
      this.recent.push(line);
      if (this.recent.length > this.keep) this.recent.shift();
    }
    let m: RegExpExecArray | null;
    if ((m = BUILDKIT_CACHE_IMPORT.exec(line))) this.cacheImports.add(m[1]!);
    if (this.cacheImports.has(/^#(\d+) /.exec(line)?.[1] ?? '')) return;
    this.noteHint(line);
    if ((m = BUILDKIT_OUTPUT.exec(line))) {
      this.keepLine(this.outputs, m[1]!, m[2]!);
    } else if ((m = BUILDKIT_ERROR.exec(line))) {
      if (!this.failure.step) {
        this.failure = { step: this.headers.get(m[1]!), reason: m[2] || undefined };
        this.failedOutput = this.outputs.get(m[1]!);
      }
    } else if ((m = BUILDKIT_LINE.exec(line))) {
      this.line ??= Number(m[1]);
    } else if ((m = BUILDKIT_HEADER.exec(line))) {
      if (!this.headers.has(m[1]!)) this.headers.set(m[1]!, m[2]!);
    } else if ((m = BUILDKIT_SUMMARY.exec(line))) {
      this.failure.step ??= m[1];
    } else if ((m = SOLVE_ERROR.exec(line))) {
      this.failure.reason ??= m[1];
    } else if ((m = BUILDAH_STEP.exec(line)) || (m = CLASSIC_STEP.exec(line))) {
      this.lastStep = m[1];
      this.lastStepOutput = [];
    } else if ((m = BUILDAH_ERROR.exec(line))) {
      const instruction = m[1]!;
      const step = this.lastStep?.endsWith(instruction) ? this.lastStep : `STEP "${instruction}"`;
      if (!this.failure.step) this.failedOutput = this.lastStepOutput;
      this.failure = { step: this.failure.step ?? step, reason: this.failure.reason ?? m[2] };
    } else if ((m = CLASSIC_ERROR.exec(line))) {
      if (!this.failure.step) this.failedOutput = this.lastStepOutput;
      this.failure = {
        step: this.failure.step ?? this.lastStep,
        reason: this.failure.reason ?? m[1],
      };
    } else if ((m = GENERIC_ERROR.exec(line))) {
      this.failure.reason ??= m[1];
    } else if (this.lastStep && line.trim() && !CLASSIC_NOISE.test(line)) {
      this.lastStepOutput.push(line);
      if (this.lastStepOutput.length > this.keep) this.lastStepOutput.shift();
    }
  }

  private keepLine(into: Map<string, string[]>, key: string, line: string): void {
    let lines = into.get(key);
    if (!lines) into.set(key, (lines = []));
    lines.push(line);
    if (lines.length > this.keep) lines.shift();
  }

  /** The failing step and reason seen so far (fields absent when the output did not say). */
  describe(): BuildFailure {
    const out: BuildFailure = {};
    if (this.failure.step) out.step = this.failure.step;
    if (this.failure.reason) out.reason = this.failure.reason;
    if (this.hint) out.hint = this.hint;
    return out;
  }

  /** The last lines of output (at most `keep`). */
  tail(): string[] {
    return [...this.recent];
  }

  /**
   * What the failing step itself printed (its last `keep` lines, BuildKit's timestamps and `#N`
   * dropped): undefined when no step failed or the engine's output did not say which.
   */
  stepOutput(): string[] | undefined {
    return this.failedOutput ? [...this.failedOutput] : undefined;
  }

  /** The Dockerfile line of the failing instruction, as BuildKit names it (`Dockerfile:64`). */
  dockerfileLine(): number | undefined {
    return this.line;
  }

  private noteHint(line: string): void {
    if (this.hint) return;
    if (/buildx component is missing|BuildKit is enabled but the buildx/i.test(line)) {
      this.hint =
        'this docker client cannot run BuildKit builds without buildx: set IMAGESMITH_DOCKER=/usr/bin/docker (Debian docker.io 20.10) or install the buildx plugin';
    } else if (
      /failed to (?:resolve source metadata|load cache key|do request)|pull access denied|manifest unknown|not found: not found/i.test(
        line,
      )
    ) {
      this.hint =
        'a base image could not be fetched: check the base named in image.yaml (and its profile) and that its registry is reachable; to pull bases through a mirror, set IMAGESMITH_REGISTRY_MIRROR or mirrors.registry in imagesmith.json';
    } else if (/server gave HTTP response to HTTPS client/i.test(line)) {
      this.hint =
        'a registry speaks plain http: only 127.0.0.0/8 and localhost registries are used without TLS';
    }
  }
}

/** Reads a whole build output at once (for tests and for output kept elsewhere). */
export function describeBuildFailure(output: string | readonly string[]): BuildFailure {
  const log = new BuildLog();
  for (const line of typeof output === 'string' ? output.split('\n') : output) log.push(line);
  return log.describe();
}

/**
 * The message of the EngineError a failed build throws. `tail` (the last lines of output) is for
 * callers that did not take the output themselves: one that streamed or kept it prints it once,
 * and the message must not repeat its end.
 */
export function formatBuildFailure(
  engine: string,
  dockerfile: string,
  log: BuildLog,
  exitCode: number,
  options: { tail?: boolean } = {},
): string {
  const { step, reason, hint } = log.describe();
  const line = log.dockerfileLine();
  const head = step
    ? `${engine} build of ${dockerfile} failed at step ${step}${reason ? `: ${reason}` : ''}`
    : `${engine} build of ${dockerfile} failed (exit code ${exitCode})${reason ? `: ${reason}` : ''}`;
  const lines = [head];
  if (options.tail !== false) lines.push(...outputLines(log));
  lines.push(
    hint
      ? `What to do: ${hint}.`
      : step
        ? `What to do: fix what that step${line ? ` (${dockerfile} line ${line})` : ''} runs or installs, where it comes from (a generated Dockerfile: the file it was generated from), then build again.`
        : 'What to do: read the output above (the Dockerfile may not parse, or the context may be missing files), fix it, then build again.',
  );
  return lines.join('\n');
}

/**
 * The output a failure message quotes: the failing step's own lines when the engine said which
 * step failed (not the whole log with its cache and layer lines), else the last lines of all of it.
 */
export function outputLines(log: BuildLog): string[] {
  const own = log.stepOutput();
  if (own && own.length > 0)
    return [
      `Output of that step (last ${plural(own.length, 'line')}):`,
      ...own.map((l) => `  ${l}`),
    ];
  if (own) return ['That step printed nothing.'];
  const tail = log.tail();
  return tail.length > 0
    ? [`Last ${plural(tail.length, 'line')} of output:`, ...tail.map((l) => `  ${l}`)]
    : [];
}
