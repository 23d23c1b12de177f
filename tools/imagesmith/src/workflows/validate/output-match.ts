import { Worker } from 'node:worker_threads';

// JavaScript regexes backtrack: /^(a+)+$/ against 34 a's and a "!" runs for tens of seconds.
// A spec's pattern is evaluated in a worker thread that is terminated at the time limit, so a
// slow pattern costs at most that long and is reported by name.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage(new RegExp(workerData.pattern, 'm').test(workerData.text));
`;

/** Why a spec's output pattern is not a valid regular expression, or undefined when it is. Pure. */
export function patternError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'm');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Whether `pattern` (multiline) matches `text`, evaluated within `timeoutMs`. */
export function matchOutput(
  pattern: string,
  text: string,
  timeoutMs: number,
): Promise<'match' | 'no-match' | 'timeout'> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { pattern, text } });
    const timer = setTimeout(() => {
      resolve('timeout');
      void worker.terminate();
    }, timeoutMs);
    worker.once('message', (matched: boolean) => {
      clearTimeout(timer);
      resolve(matched ? 'match' : 'no-match');
      void worker.terminate();
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
