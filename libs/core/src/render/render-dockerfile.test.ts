import { describe, expect, it } from 'vitest';
import { resolveVariants } from '../catalogue/variants';
import { SpecError } from '../errors';
import { workspaceOf } from '../../test-support/fixtures';
import { buildRenderContext } from './render-context';
import { renderDockerfile } from './render-dockerfile';

describe('renderDockerfile', () => {
  it('names a missing fragment template as a problem of the workspace, with a fix', () => {
    const ws = workspaceOf({ demo: 'description: d\nprofile: cpu\npython: "3.11"\n' });
    const [v] = resolveVariants(ws, 'demo');
    const ctx = buildRenderContext(v!, '', {
      requirements: { main: false, dev: false },
      locked: true,
    });
    const { 'python-base/builder': _, ...templates } = ws.templates;
    expect(() => renderDockerfile(ctx, templates)).toThrow(SpecError);
    expect(() => renderDockerfile(ctx, templates)).toThrow(
      /templates\/python-base\/builder\.hbs: is missing.*\n.*hint: restore it/,
    );
  });
});
