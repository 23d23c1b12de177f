/** One instruction of a generated Dockerfile and the fragment that rendered it. */
export interface DockerfileStep {
  /** 1-based line where the instruction starts. */
  line: number;
  /** The fragment marker above it (`python-base/runtime`, `cpu/base`); the header has none. */
  fragment: string;
  /** The instruction with its continuation lines joined and whitespace collapsed. */
  text: string;
}

// Written by render-dockerfile.ts above every fragment but the header.
const MARKER = /^# --- fragment: (\S+)$/;
const HEADER = 'python-base/header';

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every instruction of a Dockerfile, continuation lines joined (comments inside them skipped). */
export function dockerfileSteps(dockerfile: string): DockerfileStep[] {
  const lines = dockerfile.split('\n');
  const steps: DockerfileStep[] = [];
  let fragment = HEADER;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line);
    if (marker) fragment = marker[1]!;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const start = i;
    const parts = [line];
    // A comment line inside a continuation is dropped, and the continuation goes on after it.
    while (/\\\s*$/.test(parts.at(-1)!) && i + 1 < lines.length) {
      parts[parts.length - 1] = parts.at(-1)!.replace(/\\\s*$/, ' ');
      i++;
      while (lines[i]!.trimStart().startsWith('#') && i + 1 < lines.length) i++;
      parts.push(lines[i]!);
    }
    steps.push({ line: start + 1, fragment, text: collapse(parts.join(' ')) });
  }
  return steps;
}

/** The instruction covering `line` (BuildKit names its first line: `Dockerfile:64`). */
export function stepAtLine(dockerfile: string, line: number): DockerfileStep | undefined {
  return dockerfileSteps(dockerfile)
    .filter((s) => s.line <= line)
    .at(-1);
}

/**
 * The instruction an engine names without a line (buildah's `STEP 3/5: RUN ...`, BuildKit's
 * `[runtime 3/5] RUN ...`), found by its text; within its stage when the name says which. Build
 * args the engine substituted (`${BASE_IMAGE}`) match anything.
 */
export function findStep(dockerfile: string, engineStep: string): DockerfileStep | undefined {
  const named = /^\[(?:([\w.-]+) )?\d+\/\d+\] (.*)$/.exec(engineStep);
  const other = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$|^Step \d+\/\d+ : (.*)$/.exec(engineStep);
  const stage = named?.[1];
  const wanted = collapse(named?.[2] ?? other?.[1] ?? other?.[2] ?? engineStep);
  let current: string | undefined;
  const candidates: DockerfileStep[] = [];
  for (const step of dockerfileSteps(dockerfile)) {
    const from = /^FROM .* AS (\S+)$/i.exec(step.text);
    if (from) current = from[1];
    if (stage && current !== stage) continue;
    if (matches(step.text, wanted)) candidates.push(step);
  }
  return candidates[0];
}

function matches(template: string, printed: string): boolean {
  if (template === printed) return true;
  if (!template.includes('${')) return false;
  const pattern = template
    .split(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(printed);
}
