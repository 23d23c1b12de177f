import type { Tree } from '@nx/devkit';
import { stringify } from 'yaml';
import { schemaHeader } from '../../shared/schema-header';
import type { NormalizedImageOptions } from './normalize-options';
import { starterTests } from './starter-tests';

/** images/<name>/image.yaml with a starter validate contract of what this image adds. */
export function createSpec(tree: Tree, o: NormalizedImageOptions): void {
  const spec = {
    description: o.description,
    profile: o.profile,
    ...(Object.keys(o.profileOptions).length > 0 ? { profile_options: o.profileOptions } : {}),
    ...(o.base ? { base: o.base } : {}),
    ...(o.python ? { python: o.python } : {}),
    version: '0.1',
    revision: 0,
    python_packages: o.packages,
    ...(o.ports.length > 0 ? { ports: o.ports } : {}),
    tests: starterTests(o),
  };
  tree.write(o.specFile, schemaHeader(tree, 'image') + stringify(spec, { lineWidth: 0 }));
}
