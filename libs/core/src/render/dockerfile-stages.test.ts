import { DockerfileParser, type From } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { resolveVariants } from '../catalogue/variants';
import { workspaceOf } from '../../test-support/fixtures';

const LOCKED = { main: '# reqs\n', dev: '# dev\n', mainCount: 2, devCount: 1 };
const PARENT = `description: parent
profile: cpu
python: "3.11"
system_packages: [git]
python_packages: { numpy: "1.26.4" }
`;

function render(specs: Record<string, string>, image: string, locked = true): string {
  const ws = workspaceOf(specs);
  const [v] = resolveVariants(ws, image);
  return generateVariant(v!, {
    specText: ws.specs.get(image)!.text,
    templates: ws.templates,
    requirements: locked ? LOCKED : undefined,
  }).find((f) => f.path.endsWith('Dockerfile'))!.content;
}

const stages = (text: string) =>
  DockerfileParser.parse(text)
    .getInstructions()
    .filter((i) => i.getKeyword() === 'FROM')
    .map((i) => {
      const f = i as From;
      return `${f.getImageName()} AS ${f.getBuildStage()}`;
    });

/** The text of every RUN that runs apt-get. */
const aptRuns = (text: string) =>
  DockerfileParser.parse(text)
    .getInstructions()
    .filter((i) => i.getKeyword() === 'RUN' && /apt-get/.test(i.getTextContent()))
    .map((i) => i.getTextContent());

/** Stage name -> its instructions' text. */
function stageText(text: string, name: string): string {
  const parts = text.split(/^(?=FROM )/m);
  return (
    parts.find((p) => p.startsWith('FROM ') && p.split('\n')[0]!.endsWith(` AS ${name}`)) ?? ''
  );
}

describe('Dockerfile stages', () => {
  it('ends with production (the default target); development builds on runtime before it', () => {
    expect(stages(render({ p: PARENT }, 'p'))).toEqual([
      '${BASE_IMAGE} AS base',
      'base AS builder',
      'base AS runtime',
      'runtime AS development',
      'runtime AS production',
    ]);
  });

  it('keeps apt lists and downloads in cache mounts and deletes nothing inside them', () => {
    const specs = {
      p: `${PARENT}stages:\n  production: { system_packages: [curl] }\n  development: { system_packages: [vim-tiny] }\n`,
    };
    for (const text of [
      render(specs, 'p'),
      render({ n: 'description: n\nprofile: neuron-inf1\npython: "3.10"\n' }, 'n'),
    ]) {
      const runs = aptRuns(text);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      for (const run of runs) {
        expect(run).toContain('--mount=type=cache,target=/var/cache/apt,sharing=locked');
        expect(run).toContain('--mount=type=cache,target=/var/lib/apt,sharing=locked');
        expect(run).not.toMatch(/rm -rf \/var\/lib\/apt|apt-get clean/);
        // The logs hold the install time: removed for reproducible layers.
        expect(run).toContain('rm -f /var/log/apt/history.log');
      }
      expect(text).toContain('rm -f /etc/apt/apt.conf.d/docker-clean');
    }
  });

  it("leaves the venv root's: copied without --chown, never chowned", () => {
    const text = render({ p: PARENT }, 'p');
    expect(text).toContain('COPY --from=builder /opt/venv /opt/venv\n');
    const code = text.replace(/^#.*$/gm, '');
    expect(code).not.toMatch(/--chown|chown[^\n]*\/opt\/venv/);
  });

  it('installs the lock with a hash-pinned uv in the builder, and keeps uv out of the runtime', () => {
    const text = render({ p: PARENT }, 'p');
    const builder = stageText(text, 'builder');
    // uv itself: pinned, one sha256 per Linux wheel, installed by pip with --require-hashes.
    expect(builder).toMatch(
      /printf '%s ' uv==\d+\.\d+\.\d+ \\\n(\s+--hash=sha256:[0-9a-f]{64} \\\n){3}/,
    );
    expect(builder).toContain(
      '/opt/venv/bin/pip install --target /opt/uv --require-hashes --no-deps -r /tmp/uv-requirements.txt',
    );
    // The lock: the same guarantees as pip's, with pip's indexes, netrc and CA bundle.
    const install = builder.slice(builder.indexOf('--mount=type=cache,target=/root/.cache/uv'));
    expect(install).toContain(
      '/opt/uv/bin/uv pip install --python /opt/venv/bin/python --compile-bytecode --require-hashes --no-deps -r /tmp/requirements.txt',
    );
    expect(install).toContain('--mount=type=secret,id=netrc,target=/root/.netrc');
    expect(install).toContain('export SSL_CERT_FILE=/run/secrets/ca-bundle');
    expect(install).toContain('export UV_DEFAULT_INDEX="${PIP_INDEX_URL}"');
    expect(install).toContain('export UV_INDEX="${PIP_EXTRA_INDEX_URL}"');
    expect(install).toContain('UV_INDEX_STRATEGY=unsafe-best-match');
    // The uv binary is installed before the lock is copied, so a new lock reuses that layer.
    expect(builder.indexOf('/opt/uv/bin/uv pip install')).toBeGreaterThan(
      builder.indexOf('COPY requirements.txt'),
    );
    expect(builder.indexOf('--target /opt/uv')).toBeLessThan(
      builder.indexOf('COPY requirements.txt'),
    );
    for (const stage of ['runtime', 'development', 'production'])
      expect(stageText(text, stage)).not.toMatch(/\/opt\/uv|uv pip/);
    expect(stageText(text, 'runtime')).toContain('COPY --from=builder /opt/venv /opt/venv\n');
  });

  it('runs tini as init, in front of the spec entrypoint, unless init: false', () => {
    const text = render({ p: `${PARENT}entrypoint: [python, -m, app]\n` }, 'p');
    expect(text).toMatch(/^\s+tini( \\)?$/m);
    expect(text).toContain('ENTRYPOINT ["/usr/bin/tini","--","python","-m","app"]');
    const off = render({ p: `${PARENT}init: false\nentrypoint: [python]\n` }, 'p');
    expect(aptRuns(off).join('\n')).not.toMatch(/tini/);
    expect(off).not.toMatch(/ENTRYPOINT[^\n]*tini/);
    expect(off).toContain('ENTRYPOINT ["python"]');
  });

  it('says which command regenerates it, not a generate target', () => {
    const text = render({ p: PARENT }, 'p');
    expect(text.split('\n')[0]).toMatch(/by `nx sync` \(or `imagesmith generate p`\)/);
    expect(text).not.toMatch(/:generate/);
  });
});

describe('a catalogue child', () => {
  const child = (extra = '') =>
    render(
      {
        p: PARENT,
        c: `description: c\nprofile: cpu\nbase: p\npython_packages: { rich: "13.7.1" }\n${extra}`,
      },
      'c',
    );

  it('repeats nothing its parent did: apt packages, PATH, user, init, unchanged ENV', () => {
    const text = child('system_packages: [git, ca-certificates, jq]\n');
    expect(aptRuns(text).join('\n')).not.toMatch(/\b(git|ca-certificates|tini)\b/);
    expect(aptRuns(text).join('\n')).toMatch(/\bjq\b/);
    expect(text).not.toMatch(
      /\/opt\/venv\/bin:|VIRTUAL_ENV|useradd|groupadd|ENTRYPOINT|OMP_NUM_THREADS|docker-clean/,
    );
  });

  it('installs as root into the parent venv when it needs no build tools', () => {
    const text = child();
    expect(stages(text)).not.toContain('base AS builder');
    expect(stageText(text, 'runtime')).toMatch(
      /\/opt\/venv\/bin\/pip install --require-hashes --no-deps -r/,
    );
  });

  it('gets a builder FROM the parent for build_packages and copies only its own packages', () => {
    const text = child('build_packages: [build-essential, git]\n');
    expect(stages(text)).toContain('base AS builder');
    const builder = stageText(text, 'builder');
    expect(builder).toMatch(/apt-get install[^\n]*\\\n\s+build-essential( \\)?$/m);
    expect(builder).not.toMatch(/^\s+git( \\)?$/m); // the parent installed it already
    expect(builder).toContain('--prefix=/opt/child-layer -r /tmp/requirements.txt');
    const runtime = stageText(text, 'runtime');
    expect(runtime).toContain('COPY --from=builder /opt/child-layer/ /opt/venv/');
    expect(runtime).not.toMatch(/build-essential|pip install/);
  });

  it('resets the inherited init when it opts out, and keeps the inherited CMD', () => {
    const text = render(
      { p: `${PARENT}cmd: [python]\n`, c: 'description: c\nprofile: cpu\nbase: p\ninit: false\n' },
      'c',
      false,
    );
    expect(text).toContain('ENTRYPOINT []\nCMD ["python"]');
  });
});

describe('profiles', () => {
  it("cuda12 keeps NVIDIA's own NVIDIA_REQUIRE_CUDA (driver and brand clauses)", () => {
    const text = render({ g: 'description: g\nprofile: cuda12\npython: "3.10"\n' }, 'g');
    expect(text).not.toMatch(/NVIDIA_REQUIRE_CUDA/);
  });

  it('neuron-inf1 trusts its apt key only after gpg shows the pinned fingerprint', () => {
    const text = render({ n: 'description: n\nprofile: neuron-inf1\npython: "3.10"\n' }, 'n');
    const check = text.indexOf("grep -q '^fpr:::::::::00FA2C1079260870A76D2C285749CAD8646D9185:'");
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(text.indexOf('gpg --dearmor -o /usr/share/keyrings/aws-neuron.gpg'));
    expect(text).toContain('https://apt.repos.neuron.amazonaws.com focal main');
  });
});
