import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import { buildahRunOptions, dockerRunOptions, processArgv } from './run-argv';

const req = {
  image: 'x',
  command: [],
  runFlags: ['--device=/dev/neuron0'],
  user: '1000',
  env: { B: '2', A: '1' },
  mounts: [{ source: '/src', target: '/workspace', readonly: true }],
  workdir: '/workspace',
};

describe('run options', () => {
  it('gives docker/podman the network, profile flags, user, sorted env, mounts and workdir', () => {
    expect(dockerRunOptions(req)).toEqual([
      '--network',
      'none',
      '--device=/dev/neuron0',
      '--user',
      '1000',
      '-e',
      'A=1',
      '-e',
      'B=2',
      '-v',
      '/src:/workspace:ro',
      '-w',
      '/workspace',
    ]);
  });

  it('starts the requested platform of a multi-platform image, and the default one without', () => {
    expect(dockerRunOptions({ image: 'x', command: [], platform: 'linux/arm64' })).toEqual([
      '--platform',
      'linux/arm64',
      '--network',
      'none',
    ]);
    expect(dockerRunOptions({ image: 'x', command: [] })).not.toContain('--platform');
  });

  it('gives buildah run the same in its own spelling', () => {
    expect(
      buildahRunOptions({ ...req, network: 'host', runFlags: ['--device', '/dev/x'] }),
    ).toEqual([
      '--network',
      'host',
      '--device',
      '/dev/x',
      '--user',
      '1000',
      '--env',
      'A=1',
      '--env',
      'B=2',
      '--volume',
      '/src:/workspace:ro',
      '--workingdir',
      '/workspace',
    ]);
  });

  it('refuses a flag buildah cannot honour (--gpus) by name, saying which engine can', () => {
    const run = () => buildahRunOptions({ image: 'x', command: [], runFlags: ['--gpus', 'all'] });
    expect(run).toThrow(EngineError);
    expect(run).toThrow(/"--gpus" \(buildah has no --gpus\).*IMAGESMITH_ENGINE=docker or podman/);
  });

  it('runs the request entrypoint/command, else the image config', () => {
    const config = { Entrypoint: ['tini', '--'], Cmd: ['python'] };
    expect(processArgv(config, { command: [] })).toEqual(['tini', '--', 'python']);
    expect(processArgv(config, { command: ['id'] })).toEqual(['tini', '--', 'id']);
    expect(processArgv(config, { entrypoint: 'sh', command: [] })).toEqual(['sh']);
    expect(processArgv({ Entrypoint: null }, { command: ['id'] })).toEqual(['id']);
  });
});
