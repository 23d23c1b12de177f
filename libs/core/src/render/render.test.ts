import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { lintDockerfile } from '../lint';
import { workspaceOf } from '../../test-support/fixtures';
import { goldenText } from '../../test-support/golden';
import { needsHadolint } from '../../test-support/hadolint';
import { resolveVariants } from '../catalogue/variants';

const LOCKED = { main: '# reqs\n', dev: '# dev\n', mainCount: 2, devCount: 1 };

function render(
  specs: Record<string, string>,
  image: string,
  opts: { locked?: boolean; parentRef?: string } = {},
) {
  const ws = workspaceOf(specs);
  return resolveVariants(ws, image).map(
    (v) =>
      generateVariant(v, {
        specText: ws.specs.get(image)!.text,
        templates: ws.templates,
        parentRef: opts.parentRef,
        requirements: opts.locked === false ? undefined : LOCKED,
      }).find((f) => f.path.endsWith('Dockerfile'))!.content,
  );
}

const keywords = (text: string) =>
  DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => i.getKeyword());

const GOLDEN: Record<string, Record<string, string>> = {
  cpu: {
    demo: `description: CPU demo
profile: cpu
python: "3.11"
system_packages: [git, curl]
python_packages: { numpy: "^1.26" }
env: { FOO: "a b $HOME" }
labels: { com.example.team: ml }
ports: [8000]
cmd: ["python", "-m", "http.server"]
commands: ["mkdir -p /data && chmod 0777 /data"]
stages:
  development:
    system_packages: [vim-tiny]
    python_packages: { ipython: "^8.30" }
`,
  },
  cuda12: {
    demo: `description: CUDA demo
profile: cuda12
profile_options: { cuda: "12.1" }
python: "3.10"
# 2.5.1's PyPI wheel is a CUDA 12.4 build: the cu121 index serves it (2.3.1 would come from PyPI).
python_packages: { torch: "2.5.1" }
`,
  },
  'neuron-inf1': {
    demo: `description: Neuron demo
profile: neuron-inf1
python: "3.10"
python_packages: { torch: "1.13.1", torch-neuron: "1.13.1.*" }
`,
  },
};

describe('Dockerfile rendering', () => {
  it.each(Object.keys(GOLDEN))('matches the golden Dockerfile for profile %s', (profile) => {
    const [text] = render(GOLDEN[profile]!, 'demo');
    // A missing golden fails; UPDATE_GOLDEN=1 writes it (rule in test-support/golden.ts).
    expect(text).toBe(goldenText(join(__dirname, 'golden', `${profile}.Dockerfile`), text!));
  });

  it.for(Object.keys(GOLDEN))('renders a lint-clean Dockerfile for profile %s', (profile, ctx) => {
    needsHadolint(ctx);
    const [text] = render(GOLDEN[profile]!, 'demo');
    expect(lintDockerfile(text!, 'Dockerfile')).toEqual([]);
  });

  it('is byte-stable: the same inputs give the same text, whatever the key order', () => {
    const a = render(
      {
        demo: 'description: d\nprofile: cpu\npython: "3.11"\nenv: { B: "1", A: "2" }\nlabels: { z.z: "1", a.a: "2" }\n',
      },
      'demo',
    );
    const b = render(
      {
        demo: 'labels: { a.a: "2", z.z: "1" }\nenv: { A: "2", B: "1" }\npython: "3.11"\nprofile: cpu\ndescription: d\n',
      },
      'demo',
    );
    expect(a[0]!.replace(/spec-sha256="[0-9a-f]+"/, '')).toBe(
      b[0]!.replace(/spec-sha256="[0-9a-f]+"/, ''),
    );
    expect(render({ demo: GOLDEN.cpu!.demo! }, 'demo')).toEqual(
      render({ demo: GOLDEN.cpu!.demo! }, 'demo'),
    );
  });

  it('marks every block with the fragment it came from', () => {
    const [text] = render(GOLDEN.cuda12!, 'demo');
    expect(text).toMatch(/# --- fragment: python-base\/system-packages/);
    expect(text).toMatch(/# --- fragment: python-base\/runtime\n/);
  });

  it('installs Python from apt on CUDA and Neuron bases, not on the official python image', () => {
    expect(render(GOLDEN.cuda12!, 'demo')[0]).toMatch(/python3\.10-venv/);
    expect(render(GOLDEN.cpu!, 'demo')[0]).not.toMatch(/python3\.\d+-venv/);
  });

  it('adds the vendor apt repository with its own keyring for Neuron', () => {
    const [text] = render(GOLDEN['neuron-inf1']!, 'demo');
    expect(text).toMatch(
      /signed-by=\/usr\/share\/keyrings\/aws-neuron\.gpg\] https:\/\/apt\.repos\.neuron\.amazonaws\.com/,
    );
    expect(text).toMatch(/aws-neuronx-tools/);
  });

  it('bases a child on its parent reference and reuses the parent venv and user', () => {
    const specs = {
      parent: GOLDEN.cpu!.demo!,
      child: 'description: child\nprofile: cpu\nbase: parent\npython_packages: { rich: "^13" }\n',
    };
    const [text] = render(specs, 'child', { parentRef: 'reg.local/ns/parent:1.0-r0' });
    expect(text).toMatch(/^ARG BASE_IMAGE=reg\.local\/ns\/parent:1\.0-r0$/m);
    expect(text).not.toMatch(/useradd/);
    expect(text).not.toMatch(/-m venv/);
  });

  it('renders one Dockerfile per Python of a matrix, each in its own folder', () => {
    const ws = workspaceOf({ m: 'description: m\nprofile: cpu\npython: ["3.10", "3.11"]\n' });
    expect(resolveVariants(ws, 'm').map((v) => [v.name, v.outDir])).toEqual([
      ['m-py3.10', 'images/m/py3.10'],
      ['m-py3.11', 'images/m/py3.11'],
    ]);
    const texts = render({ m: 'description: m\nprofile: cpu\npython: ["3.10", "3.11"]\n' }, 'm');
    expect(texts[0]).toMatch(/python:3\.10-slim-bookworm/);
    expect(texts[1]).toMatch(/python:3\.11-slim-bookworm/);
  });

  it('stops the build with the lock command when packages are not locked yet', () => {
    const [text] = render(GOLDEN.cpu!, 'demo', { locked: false });
    expect(text).toMatch(/is not locked: run \\`nx run demo:lock\\`/);
    expect(text).not.toMatch(/requirements\.txt/);
  });

  it('ends every runtime stage as the non-root user', () => {
    const [text] = render(GOLDEN.cpu!, 'demo');
    const users = text!.split('\n').filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toBe('USER 1000:1000');
    // base, builder, runtime, development, production
    expect(keywords(text!).filter((k) => k === 'FROM')).toHaveLength(5);
  });

  it('quotes env and label values so $ and quotes cannot escape', () => {
    const [text] = render(
      { demo: 'description: d\nprofile: cpu\npython: "3.11"\nenv: { A: "x\\" $(id) ${PATH}" }\n' },
      'demo',
    );
    expect(text).toContain('A="x\\" \\$(id) \\${PATH}"');
  });
});
