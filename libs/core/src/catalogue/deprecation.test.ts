import { describe, expect, it } from 'vitest';
import { buildRenderContext } from '../render/render-context';
import { check, workspaceOf } from '../../test-support/fixtures';
import { deprecationSummary, deprecationWarnings } from './deprecation';
import { renderCatalogueTable } from './readme-table';
import { resolveVariants } from './variants';

const old = `description: old cuda
profile: cpu
python: "3.11"
deprecated: { since: "2024-07-01", use_instead: fresh, reason: heavier and slower to pull }
`;
const fresh = 'description: fresh\nprofile: cpu\npython: "3.11"\n';
const child = 'description: child\nprofile: cpu\nbase: old\n';
const grandchild = 'description: grandchild\nprofile: cpu\nbase: child\n';
const specs = { old, fresh, child, grandchild };

describe('deprecated images', () => {
  it('summarises when, what instead and why', () => {
    expect(deprecationSummary({ since: '2024.07', use_instead: 'x' })).toBe('since 2024.07: use x');
    expect(deprecationSummary({ since: '2024.07', use_instead: 'x', reason: 'r' })).toBe(
      'since 2024.07: use x (r)',
    );
  });

  it('warns about the image itself and about every descendant, naming the deprecated one', () => {
    expect(deprecationWarnings(workspaceOf(specs), ['old', 'grandchild', 'fresh'])).toEqual([
      'warning: old is deprecated since 2024-07-01: use fresh (heavier and slower to pull)',
      'warning: grandchild is based on old, which is deprecated since 2024-07-01: use fresh (heavier and slower to pull)',
    ]);
  });

  it('says so in the catalogue table', () => {
    const ws = workspaceOf(specs);
    const row = renderCatalogueTable(ws)
      .split('\n')
      .find((l) => l.startsWith('| `old`'));
    expect(row).toContain('**Deprecated since 2024-07-01: use `fresh`.**');
    expect(renderCatalogueTable(ws)).not.toMatch(/`fresh`.*Deprecated/);
  });

  it('labels the image dev.imagesmith.deprecated, and only the deprecated one', () => {
    const ws = workspaceOf(specs);
    const labels = (image: string) =>
      buildRenderContext(resolveVariants(ws, image)[0]!, '', {
        requirements: { main: false, dev: false },
        locked: true,
      }).labels;
    expect(labels('old')['dev.imagesmith.deprecated']).toBe(
      'since 2024-07-01: use fresh (heavier and slower to pull)',
    );
    expect(labels('child')['dev.imagesmith.deprecated']).toBeUndefined();
  });
});

describe('spec deprecated:', () => {
  const diagnostics = (deprecated: string) =>
    check({ fresh, demo: `${fresh}deprecated: ${deprecated}\n` }).diagnostics;

  it('accepts a catalogue image or an external reference to use instead', () => {
    expect(diagnostics('{ since: "2024-07-01", use_instead: fresh }')).toEqual([]);
    expect(
      diagnostics(
        '{ since: "1.2", use_instead: "nvcr.io/nvidia/cuda:12.1.1-runtime-ubuntu22.04" }',
      ),
    ).toEqual([]);
  });

  it('requires since and use_instead', () => {
    expect(
      diagnostics('{ reason: old }')
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/since/);
  });

  it('rejects the image itself, and a value that is neither a name nor a reference', () => {
    expect(diagnostics('{ since: "2024-07", use_instead: demo }')[0]).toMatchObject({
      path: 'deprecated.use_instead',
      message: '"demo" is this image',
    });
    expect(diagnostics('{ since: "2024-07", use_instead: "use the new one" }')[0]?.message).toMatch(
      /neither a catalogue image name nor an image reference/,
    );
  });
});
