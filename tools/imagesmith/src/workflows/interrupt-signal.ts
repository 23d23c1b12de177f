/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM while `run` works, so a lock that is
 * interrupted stops Poetry and removes its temp folder (finally blocks run) instead of the process
 * dying with them left behind. A second signal finds no handler and ends the process as usual.
 */
export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
