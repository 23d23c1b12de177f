import { describe, expect, it } from 'vitest';
import { validateWorkspaceConfig } from './validate-workspace-config';
import { parseWorkspaceConfig } from './workspace-config';

describe('imagesmith.json signing', () => {
  it('reads the key paths as written', () => {
    const text = JSON.stringify({ signing: { key: 'keys/cosign.key', public_key: 'cosign.pub' } });
    expect(validateWorkspaceConfig(text).diagnostics).toEqual([]);
    expect(parseWorkspaceConfig(text, {}).signing).toEqual({
      key: 'keys/cosign.key',
      public_key: 'cosign.pub',
    });
    expect(parseWorkspaceConfig('{}', {}).signing).toBeUndefined();
  });

  it('reports an unknown or empty field at its line', () => {
    const [typo, empty] = validateWorkspaceConfig(
      '{\n  "signing": {\n    "pubic_key": "cosign.pub",\n    "key": ""\n  }\n}\n',
    ).diagnostics;
    expect(typo).toMatchObject({ line: 3, path: 'signing.pubic_key' });
    expect(typo?.hint).toMatch(/did you mean "public_key"/);
    expect(empty).toMatchObject({ line: 4, path: 'signing.key' });
  });

  it('refuses a key path that leads out of the workspace, and says where such a key goes', () => {
    const diagnostics = validateWorkspaceConfig(
      '{\n  "signing": {\n    "key": "/root/.cosign/cosign.key",\n    "public_key": "../cosign.pub"\n  }\n}\n',
    ).diagnostics;
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatchObject({ line: 3, path: 'signing.key' });
    expect(diagnostics[0]?.message).toMatch(/leads out of the workspace/);
    expect(diagnostics[0]?.hint).toMatch(/COSIGN_KEY/);
    expect(diagnostics[1]).toMatchObject({ line: 4, path: 'signing.public_key' });
    expect(diagnostics[1]?.hint).toMatch(/COSIGN_PUBLIC_KEY/);
  });
});
