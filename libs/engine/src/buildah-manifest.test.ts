import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createEngine } from './detect-engine';
import { EngineError } from './errors';
import { fakeExec, type Call } from '../test-support/fake-exec';
import type { BuildRequest } from './types';

// This machine's binfmt_misc is not the test's business: qemu runs linux/arm64 here.
vi.mock('./emulation', () => ({ emulatedPlatforms: () => ['linux/arm64'] }));

const G = '--storage-driver overlay';
const LIST_ID = 'a'.repeat(64);
const INSTANCE_ID = 'b'.repeat(64);
const dir = mkdtempSync(join(tmpdir(), 'buildah-manifest-'));
writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
const REQ: BuildRequest = {
  contextDir: dir,
  dockerfile: join(dir, 'Dockerfile'),
  tags: ['r/app:ch-1', 'r/app:1.0-r1', 'r/app:1.0'],
  platforms: ['linux/amd64', 'linux/arm64/v8'],
};

/** A store in which `isList` names are manifest lists (images lists the list, inspect its instance). */
function store(isList: (ref: string) => boolean, failBuild = false) {
  return fakeExec((c: Call) => {
    const [, , cmd, ...rest] = c.args;
    const ref = rest.at(-1) ?? '';
    if (cmd === 'bud' && failBuild) return { exitCode: 1, stderr: 'STEP 2/2: RUN false' };
    // `images --filter reference=REF` lists a list itself; `images REF` (like inspect) its instance.
    if (cmd === 'images' && ref.startsWith('reference=')) {
      const name = ref.slice('reference='.length);
      return {
        stdout: JSON.stringify([{ id: isList(name) ? LIST_ID : INSTANCE_ID, names: [name] }]),
      };
    }
    if (cmd === 'images') return { stdout: JSON.stringify([{ id: INSTANCE_ID, names: [ref] }]) };
    if (cmd === 'inspect') return { stdout: JSON.stringify({ FromImageID: INSTANCE_ID }) };
    return undefined;
  });
}

const argvOf = (calls: Call[]) => calls.map((c) => c.args.join(' '));

describe('buildah: several platforms in one manifest list', () => {
  it('builds into a private list, then gives the list every tag and drops the private name', async () => {
    const { exec, calls } = store((ref) => ref.startsWith('localhost/imagesmith-build-list:'));
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    const result = await engine.build(REQ);
    const bud = calls.find((c) => c.args[2] === 'bud')!.args;
    const list = bud[bud.indexOf('--manifest') + 1]!;
    expect(list).toMatch(/^localhost\/imagesmith-build-list:[0-9a-f]{12}$/);
    expect(bud.join(' ')).toContain('--platform linux/amd64,linux/arm64 --manifest');
    expect(bud).not.toContain('-t');
    // buildah 1.28 refuses --iidfile with several platforms.
    expect(bud).not.toContain('--iidfile');
    const after = argvOf(calls.slice(calls.findIndex((c) => c.args[2] === 'bud') + 1));
    expect(after.filter((a) => / tag /.test(a))).toEqual(
      REQ.tags.map((t) => `${G} tag ${list} ${t}`),
    );
    expect(after.at(-1)).toBe(`${G} manifest rm ${list}`);
    // The result is the list: tagging by this id moves every platform at once.
    expect(result.imageId).toBe(`sha256:${LIST_ID}`);
  });

  it('tags nothing when the build fails, and removes the half-built list', async () => {
    const { exec, calls } = store(() => true, true);
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    await expect(engine.build(REQ)).rejects.toThrow(EngineError);
    const argv = argvOf(calls);
    expect(argv.some((a) => / tag /.test(a))).toBe(false);
    expect(argv.at(-1)).toMatch(/ manifest rm localhost\/imagesmith-build-list:/);
  });

  it('refuses a platform this machine cannot run, by name, before anything runs', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    await expect(
      engine.build({ ...REQ, platforms: ['linux/amd64', 'linux/riscv64'] }),
    ).rejects.toThrow(/cannot build linux\/riscv64: this machine runs linux\/amd64, linux\/arm64/);
    expect(calls).toEqual([]);
  });

  it('knows a list by its own id and pushes it with every instance', async () => {
    const { exec, calls } = store((ref) => ref === 'r/app:1.0');
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    expect((await engine.inspect('r/app:1.0'))?.id).toBe(`sha256:${LIST_ID}`);
    expect((await engine.inspect('r/one:1'))?.id).toBe(`sha256:${INSTANCE_ID}`);
    await engine.push('r/app:1.0');
    await engine.push('r/one:1');
    const pushes = argvOf(calls).filter((a) => / push /.test(a));
    expect(pushes[0]).toMatch(
      new RegExp(`^${G} manifest push --all --digestfile \\S+ r/app:1.0 docker://r/app:1.0$`),
    );
    expect(pushes[1]).toMatch(new RegExp(`^${G} push --digestfile \\S+ r/one:1 docker://r/one:1$`));
  });

  it('starts the requested platform of a list', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    await engine.startContainer({
      name: 'v',
      image: 'r/app:1.0',
      command: [],
      platform: 'linux/arm64',
    });
    expect(argvOf(calls)).toContain(
      `${G} from --pull-never --platform linux/arm64 --name v r/app:1.0`,
    );
  });
});
