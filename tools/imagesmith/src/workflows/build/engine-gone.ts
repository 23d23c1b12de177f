import { EngineError } from '@imagesmith/engine';
import type { Session } from '../shared/engine-context';

/**
 * A daemon that died mid-build leaves output that reads like a bad Dockerfile; when the engine no
 * longer answers, say that instead (the original error stays as the cause).
 */
export async function engineGone(s: Session, variant: string, error: unknown): Promise<unknown> {
  try {
    await s.engine.info();
    return error;
  } catch (gone) {
    const why = (gone as Error).message.split('\n')[0];
    return new EngineError(
      `${variant}: the ${s.engine.name} engine went away during the build (${why}); nothing was recorded for this build. What to do: start the engine again (bash .ci/setup-engine.sh), then run the build again`,
      s.engine.name,
      { cause: error },
    );
  }
}
