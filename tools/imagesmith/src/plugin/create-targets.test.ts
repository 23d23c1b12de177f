import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImageTargets, SYNC_IMAGES } from './create-targets';

const targets = createImageTargets('gpu-train', 'images/gpu-train');

describe('image targets', () => {
  it('has no per-image generate target: generated files come from the sync generator', () => {
    expect(Object.keys(targets).sort()).toEqual(
      [
        'build',
        'lint',
        'lock',
        'manifest',
        'promote',
        'push',
        'start',
        'stop',
        'validate',
        'verify',
      ].sort(),
    );
  });

  it('declares no task sync generator (outside a terminal Nx would fail every target, lock included, before it runs); nx.json runs it globally', () => {
    for (const [name, target] of Object.entries(targets))
      expect(target.syncGenerators, name).toBeUndefined();
    const nxJson = JSON.parse(readFileSync(join(__dirname, '../../../../nx.json'), 'utf8')) as {
      sync: { globalGenerators: string[]; applyChanges?: boolean };
    };
    expect(nxJson.sync.globalGenerators).toContain(SYNC_IMAGES);
    expect(nxJson.sync.applyChanges).toBeUndefined();
  });

  it('makes every setting that changes what build and push produce an input', () => {
    for (const name of ['build', 'validate', 'push']) {
      const inputs = targets[name]!.inputs;
      expect(inputs, name).toContain('{workspaceRoot}/imagesmith.json');
      for (const env of [
        'IMAGESMITH_REPOSITORY',
        'IMAGESMITH_REGISTRY_MIRROR',
        'IMAGESMITH_PIP_INDEX',
        'IMAGESMITH_APT_MIRROR',
        'IMAGESMITH_BUILDER',
        'IMAGESMITH_BUILD_OUTPUT',
      ])
        expect(inputs, `${name} ${env}`).toContainEqual({ env });
    }
  });

  it('keeps lint free of settings (generated files do not depend on them) and cached', () => {
    expect(targets.lint).toMatchObject({
      cache: true,
      inputs: [
        'imageFiles',
        '^imageFiles',
        'imagesmithCode',
        '{workspaceRoot}/.hadolint.yaml',
        { env: 'IMAGESMITH_TODAY' },
        { runtime: expect.stringContaining('toISOString') },
      ],
    });
  });

  it('never caches build: only the engine or registry can prove an image exists', () => {
    expect(targets.build).toMatchObject({ cache: false, dependsOn: ['^build'] });
    expect(targets.lock).toMatchObject({ cache: false, dependsOn: ['^lock'] });
  });

  it('describes every target', () => {
    for (const [name, t] of Object.entries(targets))
      expect(t.metadata?.description, name).toMatch(/\w/);
  });
});

describe('the command targets run the CLI with', () => {
  it("is the installed package's bin by default, as a team's workspace has it", () => {
    expect(targets.lint!.options.command).toBe('npx imagesmith lint gpu-train');
    expect(targets.push!.options.command).toBe('npx imagesmith push gpu-train');
  });

  it('is the plugin option `cli` when nx.json gives one (this repository runs its sources)', () => {
    const own = createImageTargets(
      'gpu-train',
      'images/gpu-train',
      'node tools/imagesmith/bin/imagesmith.cjs',
    );
    expect(own.lock!.options.command).toBe(
      'node tools/imagesmith/bin/imagesmith.cjs lock gpu-train',
    );
    const nxJson = JSON.parse(readFileSync(join(__dirname, '../../../../nx.json'), 'utf8'));
    expect(nxJson.plugins).toContainEqual({
      plugin: './node_modules/.imagesmith/nx-plugin.cjs',
      options: { cli: 'node tools/imagesmith/bin/imagesmith.cjs' },
    });
  });
});
