import type { Tree } from '@nx/devkit';
import { stringify } from 'yaml';
import { schemaHeader } from '../../shared/schema-header';
import type { NormalizedProfileOptions } from './normalize-options';

/** profile.yaml plus the two fragment slots every profile may fill (base and runtime stages). */
export function createFiles(tree: Tree, o: NormalizedProfileOptions): void {
  const profile = {
    description: o.description,
    hardware: o.hardware,
    python_install: o.pythonInstall,
    python_versions: o.pythonVersions,
    bases: Object.fromEntries(o.pythonVersions.map((v) => [v, o.base])),
    system_packages: ['ca-certificates'],
    package_sources: [],
    env: {},
    run_flags: [],
  };
  tree.write(
    `${o.dir}/profile.yaml`,
    `${schemaHeader(tree, 'profile')}${stringify(profile, { lineWidth: 0 })}`,
  );
  tree.write(
    `${o.dir}/fragments/base.hbs`,
    `# Base-stage setup for ${o.name} images (runs as root, before system packages are final).\n# Context: profile, variant, systemPackages, env; see templates/python-base/*.hbs for examples.\n`,
  );
  tree.write(
    `${o.dir}/fragments/runtime.hbs`,
    `# Runtime settings for ${o.name} images.\nLABEL dev.imagesmith.hardware="{{profile.hardware}}"\n`,
  );
}
