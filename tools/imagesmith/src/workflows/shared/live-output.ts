/**
 * Where live output goes: progress lines and a tool's output as it comes (--verbose). This
 * process's stdout, unless a caller that captures stdout as a task's result (the Nx batch
 * executor) names the terminal: live output must show while the task runs, not in its result.
 */
let target: ((text: string) => void) | undefined;

export function writeLive(text: string): void {
  if (target) target(text);
  else process.stdout.write(text);
}

/** Runs `fn` with live output going to `write`, then restores the previous target. */
export async function withLiveOutput<T>(
  write: (text: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  const before = target;
  target = write;
  try {
    return await fn();
  } finally {
    target = before;
  }
}
