import { describe, expect, it } from 'vitest';
import { resolveVariants } from '../catalogue/variants';
import { lintDockerfile } from '../lint';
import { workspaceOf } from '../../test-support/fixtures';
import { needsHadolint } from '../../test-support/hadolint';
import { generateVariant } from './generate-variant';

const ws = workspaceOf({
  parent: 'description: p\nprofile: cpu\npython: "3.11"\npython_packages: { numpy: "^1.26" }\n',
  child: 'description: c\nprofile: cpu\nbase: parent\npython_packages: { rich: "^13" }\n',
  plain: 'description: no packages\nprofile: cpu\npython: "3.11"\n',
});
const LOCKED = { main: '# reqs\n', dev: '', mainCount: 1, devCount: 0 };

function dockerfile(image: string, locked: boolean): string {
  const [v] = resolveVariants(ws, image);
  const files = generateVariant(v!, {
    specText: ws.specs.get(image)!.text,
    templates: ws.templates,
    requirements: locked ? LOCKED : undefined,
  });
  return files.find((f) => f.path.endsWith('Dockerfile'))!.content;
}

const GUARD = '# --- fragment: python-base/lock-guard';

describe('the lock-guard fragment', () => {
  it.for(['parent', 'child'])(
    'stops %s right after FROM, before any download, when its packages are not locked',
    (image, ctx) => {
      needsHadolint(ctx);
      const text = dockerfile(image, false);
      const blocks = text.split('\n\n');
      const at = blocks.findIndex((b) => b.startsWith(GUARD));
      expect(blocks[at - 1]).toMatch(
        /^# --- fragment: python-base\/from\nFROM \$\{BASE_IMAGE\} AS base/,
      );
      expect(blocks[at]).toBe(
        [
          GUARD,
          `# images/${image}/poetry.lock does not exist yet, so nothing can be installed hash-checked.`,
          `RUN echo "images/${image} is not locked: run \\\`nx run ${image}:lock\\\` and regenerate" >&2 && exit 1`,
        ].join('\n'),
      );
      expect(lintDockerfile(text, 'Dockerfile')).toEqual([]);
    },
  );

  it('renders nothing once the image is locked', () => {
    expect(dockerfile('parent', true)).not.toContain('lock-guard');
  });

  it('renders nothing for an image without Python packages', () => {
    expect(dockerfile('plain', false)).not.toContain('lock-guard');
  });
});
