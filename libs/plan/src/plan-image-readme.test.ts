import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../../libs/core/test-support/fixtures';
import { planImageReadme } from './plan-image-readme';

const ws = workspaceOf({
  serve:
    'description: serve\nprofile: cpu\npython: "3.11"\nversion: "1.0"\nrevision: 2\nports: [8000]\n',
});

describe('an image README (fixture workspace)', () => {
  it("names the configured repository in its docker run line, not the default's", () => {
    const text = planImageReadme(
      { ws, locks: new Map(), repository: 'registry.example/acme/images' },
      'serve',
    ).content;
    expect(text).toMatch(
      /^docker run --rm -it -p 8000:8000 registry\.example\/acme\/images\/serve:1\.0-r2$/m,
    );
    expect(text).toContain('Pushed to `registry.example/acme/images`');
    expect(text).not.toContain('localhost:5000');
  });
});
