import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors';
import { explainRepositoryReference, isRepositoryReference } from './repository-reference';
import { validateWorkspaceConfig } from './validate-workspace-config';
import { DEFAULT_REPOSITORY, parseWorkspaceConfig } from './workspace-config';

function problems(text: string) {
  return validateWorkspaceConfig(text).diagnostics;
}

function failure(text: string | undefined, env: NodeJS.ProcessEnv = {}): UsageError {
  try {
    parseWorkspaceConfig(text, env);
  } catch (error) {
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('imagesmith.json validation', () => {
  it('accepts a full configuration and defaults when there is no file', () => {
    const text = JSON.stringify({
      repository: '127.0.0.1:5000/acme/images',
      engine: 'docker',
      mirrors: { registry: 'mirror.example:5000', pip_index: 'https://pypi.example/simple/' },
    });
    expect(problems(text)).toEqual([]);
    expect(parseWorkspaceConfig(undefined, {})).toEqual({
      repository: DEFAULT_REPOSITORY,
      engine: undefined,
      mirrors: {},
    });
  });

  it('reports unknown keys at their line with did-you-mean, nested ones too', () => {
    const [top, nested] = problems(
      '{\n  "repositry": "a/b",\n  "mirrors": {\n    "registy": "m.example"\n  }\n}\n',
    );
    expect(top).toMatchObject({ line: 2, path: 'repositry', message: 'unknown field "repositry"' });
    expect(top?.hint).toMatch(/did you mean "repository"/);
    expect(nested).toMatchObject({ line: 4, path: 'mirrors.registy' });
    expect(nested?.hint).toMatch(/did you mean "registry"/);
  });

  it('takes the builder and the build output from the file, the variables win, empty is unset', () => {
    const text = '{"builder": "fleet", "build_output": "registry"}';
    expect(parseWorkspaceConfig(text, {})).toMatchObject({
      builder: 'fleet',
      buildOutput: 'registry',
    });
    expect(
      parseWorkspaceConfig(text, {
        IMAGESMITH_BUILDER: 'other',
        IMAGESMITH_BUILD_OUTPUT: 'engine',
      }),
    ).toMatchObject({ builder: 'other', buildOutput: 'engine' });
    expect(
      parseWorkspaceConfig(undefined, { IMAGESMITH_BUILDER: '', IMAGESMITH_BUILD_OUTPUT: ' ' }),
    ).toMatchObject({ builder: undefined, buildOutput: undefined });
  });

  it('names a wrong build output or builder and the fix', () => {
    expect(failure(undefined, { IMAGESMITH_BUILD_OUTPUT: 'registy' }).message).toMatch(
      /IMAGESMITH_BUILD_OUTPUT.*"registy" is not a build output.*IMAGESMITH_BUILD_OUTPUT=registry/s,
    );
    expect(failure(undefined, { IMAGESMITH_BUILDER: 'a b' }).message).toMatch(
      /IMAGESMITH_BUILDER.*not a buildx builder name.*docker buildx ls/s,
    );
    expect(failure('{\n  "build_output": "load"\n}').message).toMatch(
      /imagesmith\.json:2:\d+: build_output/,
    );
  });

  it('reports a wrong type as a usage error, not an internal one', () => {
    const error = failure('{"repository": 5}');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/imagesmith\.json:1:\d+: repository: must be string/);
  });

  it("reports a wrong engine as the file's engine key, with did-you-mean", () => {
    const [d] = problems('{\n  "engine": "dockr"\n}');
    expect(d).toMatchObject({ file: 'imagesmith.json', line: 2, path: 'engine' });
    expect(d?.hint).toMatch(/did you mean "docker"/);
    expect(failure('{"engine": "dockr"}').message).not.toMatch(/IMAGESMITH_ENGINE/);
  });

  it('reports an invalid repository reference with the fixed one', () => {
    const [d] = problems('{"repository": "127.0.0.1:5001/My Images"}');
    expect(d?.message).toMatch(/not a valid repository reference \(uppercase letters and spaces\)/);
    expect(d?.hint).toBe('write "repository": "127.0.0.1:5001/my-images"');
  });

  it('reports duplicate keys by name', () => {
    expect(problems('{"repository": "a/b", "repository": "c/d"}')[0]?.message).toBe(
      'duplicate key "repository"',
    );
  });

  it('reports malformed JSON with its line', () => {
    const [d] = problems('{\n  "repository": "a/b",\n}\n');
    expect(d).toMatchObject({ line: 3 });
    expect(d?.message).toMatch(/not valid JSON/);
  });

  it('names the variable and the fix for an invalid IMAGESMITH_REPOSITORY', () => {
    const error = failure(undefined, { IMAGESMITH_REPOSITORY: '127.0.0.1:5001/REL' });
    expect(error.message).toMatch(/IMAGESMITH_REPOSITORY: "127\.0\.0\.1:5001\/REL" is not a valid/);
    expect(error.message).toMatch(/write IMAGESMITH_REPOSITORY=127\.0\.0\.1:5001\/rel/);
  });

  it('names IMAGESMITH_ENGINE when the variable is wrong', () => {
    expect(failure(undefined, { IMAGESMITH_ENGINE: 'podmn' }).message).toMatch(
      /IMAGESMITH_ENGINE: .*\n.*IMAGESMITH_ENGINE=podman/,
    );
  });

  it('treats empty variables as unset', () => {
    const config = parseWorkspaceConfig('{"repository": "127.0.0.1:5000/acme"}', {
      IMAGESMITH_REPOSITORY: '',
      IMAGESMITH_REGISTRY_MIRROR: ' ',
      IMAGESMITH_ENGINE: '',
    });
    expect(config).toEqual({ repository: '127.0.0.1:5000/acme', engine: undefined, mirrors: {} });
  });
});

describe('repository references', () => {
  it.each(['localhost:5000/imagesmith', 'ghcr.io/acme/images', 'acme', '127.0.0.1:5000/a_b/c-d'])(
    'accepts %s',
    (ref) => expect(isRepositoryReference(ref)).toBe(true),
  );

  it.each([
    ['ghcr.io/Acme/images', 'ghcr.io/acme/images'],
    ['https://ghcr.io/acme/', 'ghcr.io/acme'],
    ['localhost:5000/acme:1.0', 'localhost:5000/acme'],
  ])('rejects %s and suggests %s', (ref, fix) => {
    expect(isRepositoryReference(ref)).toBe(false);
    expect(explainRepositoryReference(ref).fix).toBe(fix);
  });
});

describe('credentials in index and mirror URLs', () => {
  const PW = 'pw-5b1d0c';

  it('IMAGESMITH_PIP_INDEX may carry them (builds split them off into the netrc secret)', () => {
    const config = parseWorkspaceConfig(undefined, {
      IMAGESMITH_PIP_INDEX: `http://ci:${PW}@idx.example/simple/`,
    });
    expect(config.mirrors.pip_index).toBe(`http://ci:${PW}@idx.example/simple/`);
  });

  it('refuses them in imagesmith.json, a committed file, without echoing the password', () => {
    const text = `{\n  "mirrors": {\n    "pip_index": "http://ci:${PW}@idx.example/simple/",\n    "apt": "http://ci:${PW}@apt.example"\n  }\n}\n`;
    const d = problems(text);
    expect(d.map((x) => [x.path, x.line])).toEqual([
      ['mirrors.pip_index', 3],
      ['mirrors.apt', 4],
    ]);
    expect(d[0]?.message).toBe(
      '"http://ci:***@idx.example/simple/" carries a user name and password, in a file that is committed',
    );
    expect(d[0]?.hint).toMatch(
      /write http:\/\/idx\.example\/simple\/\) and pass them when building: a netrc file named by IMAGESMITH_NETRC/,
    );
    expect(JSON.stringify(d)).not.toContain(PW);
  });

  it('refuses them in IMAGESMITH_APT_MIRROR: apt would keep the URL in the image', () => {
    const error = failure(undefined, { IMAGESMITH_APT_MIRROR: `http://ci:${PW}@apt.example/` });
    expect(error.message).toMatch(
      /IMAGESMITH_APT_MIRROR: "http:\/\/ci:\*\*\*@apt\.example\/" carries a user name and password/,
    );
    expect(error.message).toMatch(/as IMAGESMITH_APT_MIRROR=http:\/\/apt\.example\//);
    expect(error.message).not.toContain(PW);
  });

  it('refuses a pip index password netrc cannot carry, saying to use IMAGESMITH_NETRC', () => {
    const error = failure(undefined, {
      IMAGESMITH_PIP_INDEX: `http://ci:a%20b${PW}@idx.example/s/`,
    });
    expect(error.message).toMatch(/cannot be passed to pip: .*white space/);
    expect(error.message).toMatch(
      /set IMAGESMITH_NETRC=<that file> and IMAGESMITH_PIP_INDEX=http:\/\/idx\.example\/s\//,
    );
    expect(error.message).not.toContain(PW);
  });

  it('refuses user:password@ in a registry reference, pointing at `imagesmith login`', () => {
    const env = failure(undefined, { IMAGESMITH_REGISTRY_MIRROR: `ci:${PW}@mirror.example:5000` });
    expect(env.message).toMatch(
      /IMAGESMITH_REGISTRY_MIRROR: "\*\*\*@mirror\.example:5000" carries credentials/,
    );
    expect(env.message).toMatch(
      /`imagesmith login mirror\.example:5000`.*write IMAGESMITH_REGISTRY_MIRROR=mirror\.example:5000/,
    );
    const file = problems(`{"repository": "ci:${PW}@reg.example/acme"}`);
    expect(file[0]?.hint).toMatch(/write "repository": "reg\.example\/acme"/);
    expect(`${env.message}${JSON.stringify(file)}`).not.toContain(PW);
  });
});
