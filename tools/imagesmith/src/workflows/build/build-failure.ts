import { join, relative } from 'node:path';
import { writeFileAtomic } from '@imagesmith/core';
import { BuildLog, EngineError, outputLines } from '@imagesmith/engine';
import type { BuildPlan } from '../shared/build-plan';
import { findStep, stepAtLine } from './dockerfile-step';
import { stateDir, type Session } from '../shared/engine-context';
import { profileSource } from './profile-text';
import { stepSource, type StepSource } from './step-source';

/** What a build printed: read as it comes (the failing step, its output) and kept whole for the log file. */
export class BuildTranscript {
  readonly log = new BuildLog(20);
  readonly lines: string[] = [];

  push(line: string): void {
    this.log.push(line);
    this.lines.push(line);
  }
}

/**
 * The error a failed engine build ends with: the engine's first line, the failing step's own
 * output (unless it was shown as it came), the spec field, profile field or template the step was
 * generated from (never "fix the Dockerfile": it is generated), and where the whole log was
 * written (<variant>/.imagesmith/build-<stage>.log). Other errors are returned as they are.
 */
export function explainBuildFailure(
  s: Session,
  plan: BuildPlan,
  error: unknown,
  transcript: BuildTranscript,
  shown: boolean,
): unknown {
  if (!(error instanceof EngineError) || transcript.lines.length === 0) return error;
  const { log } = transcript;
  const v = plan.variant;
  const lines = [error.message.split('\n')[0]!];
  if (!shown) lines.push(...outputLines(log));
  const source = sourceOf(s, plan, log);
  if (source)
    lines.push(
      `That step comes from ${where(source.from)} (${v.outDir}/Dockerfile line ${source.line} is generated from it: do not edit the Dockerfile).`,
    );
  lines.push(writeLog(s, plan, transcript.lines));
  const { hint, step } = log.describe();
  lines.push(
    hint
      ? `What to do: ${hint}.`
      : source?.from.template
        ? `What to do: fix ${source.from.file}, run \`npx nx sync\`, then build again.`
        : source
          ? `What to do: fix ${source.from.field} in ${source.from.file}, then build again.`
          : (error.message.split('\n').find((l) => l.startsWith('What to do:')) ??
            `What to do: read the output above${step ? '' : ' (the Dockerfile may not parse)'}, fix it, then build again.`),
  );
  return new EngineError(lines.join('\n'), error.engine, { cause: error });
}

function sourceOf(
  s: Session,
  plan: BuildPlan,
  log: BuildLog,
): { from: StepSource; line: number } | undefined {
  const dockerfile = plan.context['Dockerfile'];
  if (typeof dockerfile !== 'string') return undefined;
  const at = log.dockerfileLine();
  const failed = log.describe().step;
  const step =
    at !== undefined
      ? stepAtLine(dockerfile, at)
      : failed
        ? findStep(dockerfile, failed)
        : undefined;
  if (!step) return undefined;
  const v = plan.variant;
  const profile = profileSource(s.root, v.profile.name);
  const texts = {
    spec: s.ws.specs.get(v.image)?.text ?? '',
    profile: profile.text,
    profileDir: profile.dir,
  };
  return { from: stepSource(step, v, texts, log.stepOutput() ?? []), line: step.line };
}

function where(source: StepSource): string {
  const line = source.line ? ` line ${source.line}` : '';
  return `${source.file}${line}${source.field ? `, field ${source.field}` : ''}`;
}

/** The whole output, for reading past what the message quotes; a failed write is said, not thrown. */
function writeLog(s: Session, plan: BuildPlan, lines: string[]): string {
  const file = join(stateDir(s.root, plan.variant), `build-${plan.stage}.log`);
  try {
    writeFileAtomic(file, `${lines.join('\n')}\n`);
    return `The whole build log: ${relative(s.root, file)}`;
  } catch (error) {
    return `The whole build log could not be written to ${relative(s.root, file)} (${(error as Error).message.split('\n')[0]}); run the build with --verbose to see it.`;
  }
}
