/**
 * An AbortSignal that fires on SIGINT or SIGTERM while `run` works, so a lock that is
 * interrupted stops Poetry and removes its temp folder (finally blocks run) instead of the process
 * dying with them left behind.
 */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Stays registered until `run` settles: signal-exit (loaded by execa) re-raises a signal when
  // its own handler is the last one left, which would kill the process before the cleanup ran.
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
