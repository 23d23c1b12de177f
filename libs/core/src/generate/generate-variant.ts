import { buildRenderContext, usedPackages } from '../render/render-context';
import { renderDockerfile } from '../render/render-dockerfile';
import type { ImageVariant } from '../catalogue/variants';

export interface GeneratedFile {
  /** Workspace-relative path. */
  path: string;
  content: string;
}

export interface VariantInputs {
  specText: string;
  templates: Record<string, string>;
  /** FROM reference for a catalogue parent. */
  parentRef?: string;
  /** requirements files exported from the variant's poetry.lock; undefined when not locked. */
  requirements?: { main: string; dev: string; mainCount: number; devCount: number };
}

/** Everything generated for one variant: Dockerfile plus the lock-derived files. Pure. */
export function generateVariant(v: ImageVariant, inputs: VariantInputs): GeneratedFile[] {
  const locked = inputs.requirements !== undefined;
  const ctx = buildRenderContext(v, inputs.specText, {
    parentRef: inputs.parentRef,
    requirements: {
      main: (inputs.requirements?.mainCount ?? 0) > 0,
      dev: (inputs.requirements?.devCount ?? 0) > 0,
    },
  });
  const templates = { ...inputs.templates };
  let dockerfile = renderDockerfile(ctx, templates);
  if (usedPackages(v.spec).size > 0 && !locked) dockerfile = withLockGuard(dockerfile, v);
  const files: GeneratedFile[] = [{ path: `${v.outDir}/Dockerfile`, content: dockerfile }];
  if (inputs.requirements) {
    if (inputs.requirements.mainCount > 0)
      files.push({ path: `${v.outDir}/requirements.txt`, content: inputs.requirements.main });
    if (inputs.requirements.devCount > 0)
      files.push({ path: `${v.outDir}/requirements-dev.txt`, content: inputs.requirements.dev });
  }
  return files;
}

// An image whose Python packages are not locked yet must not build with nothing installed:
// the builder stage stops at once and says which command pins them.
function withLockGuard(dockerfile: string, v: ImageVariant): string {
  const guard = [
    '# --- fragment: python-base/lock-guard',
    `# ${v.outDir}/poetry.lock does not exist yet, so nothing can be installed hash-checked.`,
    `RUN echo "${v.outDir} is not locked: run \\\`nx run ${v.image}:lock\\\` and regenerate" >&2 && exit 1`,
  ].join('\n');
  // The guard goes where packages would be installed: the builder, or production on a catalogue parent.
  const stage = /^FROM base AS builder$/m.test(dockerfile)
    ? /^FROM base AS builder$/m
    : /^FROM base AS production$/m;
  return dockerfile.replace(stage, (m) => `${m}\n${guard}`);
}
