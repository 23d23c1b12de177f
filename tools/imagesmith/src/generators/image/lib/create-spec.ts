import type { Tree } from '@nx/devkit';
import { stringify } from 'yaml';
import type { NormalizedImageOptions } from './normalize-options';

/** images/<name>/image.yaml with a starter validate contract every image should pass. */
export function createSpec(tree: Tree, o: NormalizedImageOptions): void {
  const spec = {
    description: o.description,
    profile: o.profile,
    ...(o.base ? { base: o.base } : {}),
    ...(o.python ? { python: o.python } : {}),
    version: '0.1',
    revision: 0,
    python_packages: {},
    tests: {
      non_root: true,
      commands: [
        {
          name: 'python starts from the venv',
          run: 'python -c "import sys; print(sys.prefix)"',
          output: '^/opt/venv$',
        },
      ],
    },
  };
  const header = '# yaml-language-server: $schema=../../libs/core/src/spec/image.schema.json\n';
  tree.write(o.specFile, header + stringify(spec, { lineWidth: 0 }));
}
