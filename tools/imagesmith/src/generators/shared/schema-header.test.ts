import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import { schemaHeader } from './schema-header';

describe('schemaHeader', () => {
  it("names this repository's schema where the workspace has the tool's sources", () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('libs/core/src/image-spec/image.schema.json', '{}');
    expect(schemaHeader(tree, 'image')).toBe(
      '# yaml-language-server: $schema=../../libs/core/src/image-spec/image.schema.json\n',
    );
  });

  it("names the installed package's copy in a workspace without them", () => {
    const tree = createTreeWithEmptyWorkspace();
    expect(schemaHeader(tree, 'image')).toBe(
      '# yaml-language-server: $schema=../../node_modules/@imagesmith/nx-plugin/assets/schemas/image.schema.json\n',
    );
    expect(schemaHeader(tree, 'profile')).toBe(
      '# yaml-language-server: $schema=../../node_modules/@imagesmith/nx-plugin/assets/schemas/profile.schema.json\n',
    );
  });
});
