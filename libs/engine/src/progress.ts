/**
 * A progress line for a long engine or Poetry step, so a quiet default output still shows that
 * work goes on. On a terminal one line is rewritten in place; elsewhere (CI logs) a plain line is
 * written every `everyMs`, never a spinner: "python-base: building (BuildKit step 7/12, 40 s)".
 */
export interface ProgressOptions {
  /** What is happening, e.g. `python-base: building`. */
  label: string;
  /** Raw output (no newline added), e.g. process.stdout.write. */
  write: (text: string) => void;
  /** Whether `write` goes to a terminal (the line is then rewritten in place). */
  tty?: boolean;
  /** Milliseconds between plain lines when not on a terminal; 10 s by default. */
  everyMs?: number;
  now?: () => number;
}

// `#7 [builder 3/5] RUN ...` (BuildKit), `STEP 3/5: RUN ...` (buildah, podman), `Step 3/5 : ...`.
const STEP = [
  /^#\d+ \[(?:([\w.-]+) )?(\d+\/\d+)\] /,
  /^(?:\[\d+\/\d+\] )?STEP (\d+\/\d+): /,
  /^Step (\d+\/\d+) : /,
];

/** The step a build output line starts, e.g. `BuildKit step 3/5 (builder)`; undefined for others. */
export function buildStep(line: string): string | undefined {
  const kit = STEP[0]!.exec(line);
  if (kit) return `${kit[1] ? `${kit[1]} stage, ` : ''}BuildKit step ${kit[2]}`;
  const other = STEP[1]!.exec(line) ?? STEP[2]!.exec(line);
  return other ? `step ${other[1]}` : undefined;
}

export class Progress {
  private readonly now: () => number;
  private readonly started: number;
  private lastWritten: number;
  private detail: string | undefined;
  private shown = false;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? Date.now;
    this.started = this.now();
    this.lastWritten = this.started;
  }

  /** Reads one line of the tool's output: a build step becomes the line's detail. */
  note(line: string): void {
    this.detail = buildStep(line) ?? this.detail;
  }

  /** Called on a timer: writes the line when one is due. */
  tick(): void {
    const t = this.now();
    if (this.o.tty) {
      this.o.write(`\r${this.text(t)}\x1b[K`);
      this.shown = true;
    } else if (t - this.lastWritten >= (this.o.everyMs ?? 10_000)) {
      this.o.write(`${this.text(t)}\n`);
      this.lastWritten = t;
    }
  }

  /** Clears the updating line on a terminal, so the result line takes its place. */
  done(): void {
    if (this.o.tty && this.shown) this.o.write('\r\x1b[K');
    this.shown = false;
  }

  /** Seconds since the step started. */
  elapsedSeconds(): number {
    return Math.round((this.now() - this.started) / 1000);
  }

  private text(t: number): string {
    const secs = `${Math.round((t - this.started) / 1000)} s`;
    return `${this.o.label} (${this.detail ? `${this.detail}, ` : ''}${secs})`;
  }
}

/**
 * Runs `work` with a progress line ticking every second (timer unref'd: it never keeps the
 * process alive), and clears it afterwards whether the work succeeded or not.
 */
export async function withProgress<T>(
  options: ProgressOptions,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = new Progress(options);
  const timer = setInterval(() => progress.tick(), 1_000);
  timer.unref?.();
  try {
    return await work(progress);
  } finally {
    clearInterval(timer);
    progress.done();
  }
}
