import { describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { resolveVariants } from '../catalogue/variants';
import { check, workspaceOf } from '../../test-support/fixtures';

const SPEC = `description: serving
profile: cpu
python: "3.11"
files:
  - { src: app/, dest: /app }
  - { src: serve.sh, dest: /usr/local/bin/serve }
cmd: ["/usr/local/bin/serve"]
`;

function dockerfile(specs: Record<string, string>, image: string): string {
  const ws = workspaceOf(specs);
  const [v] = resolveVariants(ws, image);
  return generateVariant(v!, {
    specText: ws.specs.get(image)!.text,
    templates: ws.templates,
    requirements: undefined,
  }).find((f) => f.path.endsWith('Dockerfile'))!.content;
}

describe('spec files', () => {
  it('renders one root-owned COPY per entry from files/ of the context, after every install, before USER', () => {
    const text = dockerfile({ serve: SPEC }, 'serve');
    expect(text).toMatch(
      /# --- fragment: python-base\/files\n#[^\n]*\n#[^\n]*\nCOPY --chown=0:0 files\/app\/ \/app\nCOPY --chown=0:0 files\/serve\.sh \/usr\/local\/bin\/serve\n\n# --- fragment: python-base\/finalize\n/,
    );
    expect(text.indexOf('COPY --chown=0:0 files/')).toBeGreaterThan(
      text.indexOf('FROM base AS runtime'),
    );
  });

  it('renders nothing for a spec without files', () => {
    const text = dockerfile({ plain: 'description: p\nprofile: cpu\npython: "3.11"\n' }, 'plain');
    expect(text).not.toMatch(/python-base\/files|files\//);
  });

  it.each([
    ['../secrets/', 'src', /"\.\.\/secrets\/" leaves the image folder/],
    ['/etc/', 'src', /"\/etc\/" is absolute/],
    ['.git', 'src', /hidden/],
    ['a b', 'src', /unsafe part/],
  ])('refuses src %s with the file, field and line', (src, field, message) => {
    const { diagnostics } = check({
      bad: `description: b\nprofile: cpu\npython: "3.11"\nfiles:\n  - src: "${src}"\n    dest: /app\n`,
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: 'images/bad/image.yaml',
        line: 5,
        path: `files[0].${field}`,
        message: expect.stringMatching(message),
        hint: expect.stringMatching(/inside images\/bad\//),
      }),
    ]);
  });

  it.each([
    ['app', /is not an absolute path/],
    ['/', /is the root folder/],
    ['/app/../etc', /has a \. or \.\. part/],
    ['/etc', /straight into \/etc/],
    ['/opt/venv/lib', /inside \/opt\/venv/],
    ['/app;rm', /unsafe part/],
  ])('refuses dest %s with the file, field and line', (dest, message) => {
    const { diagnostics } = check({
      bad: `description: b\nprofile: cpu\npython: "3.11"\nfiles:\n  - src: app/\n    dest: "${dest}"\n`,
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        line: 6,
        path: 'files[0].dest',
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it('refuses an entry without dest, or with another key (schema)', () => {
    const { diagnostics } = check({
      bad: 'description: b\nprofile: cpu\npython: "3.11"\nfiles:\n  - { src: app/, mode: "0777" }\n',
    });
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/dest/);
  });
});
