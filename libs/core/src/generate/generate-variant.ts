import { buildRenderContext } from '../render/render-context';
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
  /** Labels from committed files beyond the spec (the accelerator contract). */
  labels?: Record<string, string>;
}

/** Everything generated for one variant: Dockerfile plus the lock-derived files. Pure. */
export function generateVariant(v: ImageVariant, inputs: VariantInputs): GeneratedFile[] {
  const ctx = buildRenderContext(v, inputs.specText, {
    parentRef: inputs.parentRef,
    requirements: {
      main: (inputs.requirements?.mainCount ?? 0) > 0,
      dev: (inputs.requirements?.devCount ?? 0) > 0,
    },
    locked: inputs.requirements !== undefined,
    ...(inputs.labels ? { labels: inputs.labels } : {}),
  });
  const files: GeneratedFile[] = [
    { path: `${v.outDir}/Dockerfile`, content: renderDockerfile(ctx, inputs.templates) },
  ];
  if (inputs.requirements) {
    if (inputs.requirements.mainCount > 0)
      files.push({ path: `${v.outDir}/requirements.txt`, content: inputs.requirements.main });
    if (inputs.requirements.devCount > 0)
      files.push({ path: `${v.outDir}/requirements-dev.txt`, content: inputs.requirements.dev });
  }
  return files;
}
