// npm prepack (`npm pack` / `npm publish` in tools/imagesmith): makes the package self-contained
// for a workspace that has nothing of this repository.
// - dist/<name>.cjs: every bundle the entry points load (bundle.cjs's BUNDLES), prebuilt, so the
//   installed package runs without its TypeScript sources or esbuild;
// - assets/profiles and assets/templates: the built-in hardware profiles and templates, copied from
//   the repository root (a workspace's own profiles/ and templates/ add to or override them);
// - assets/schemas: the JSON schemas of imagesmith.json, image.yaml, profile.yaml and lifecycle.yaml,
//   for editors;
// - .hadolint.yaml: the hadolint rules the generated Dockerfiles are linted with, found above the
//   bundles when the workspace has none of its own (libs/core/src/lint/hadolint.ts, findConfig).
// `node pack-build.cjs --clean` (postpack) removes what it wrote, so the checkout runs from sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { buildBundle, BUNDLES, distDir } = require('./bundle.cjs');

const root = path.resolve(__dirname, '..', '..');
const assetsDir = path.join(__dirname, 'assets');

const ASSETS = {
  profiles: 'profiles',
  templates: 'templates',
  'schemas/workspace-config.schema.json': 'libs/core/src/config/workspace-config.schema.json',
  'schemas/image.schema.json': 'libs/core/src/image-spec/image.schema.json',
  'schemas/profile.schema.json': 'libs/core/src/profiles/profile.schema.json',
  'schemas/lifecycle.schema.json': 'libs/core/src/lifecycle/lifecycle.schema.json',
};

/** Files copied into the package's own folder: package path -> repository path. */
const PACKAGE_FILES = { '.hadolint.yaml': '.hadolint.yaml' };

function clean() {
  fs.rmSync(distDir, { recursive: true, force: true });
  fs.rmSync(assetsDir, { recursive: true, force: true });
  for (const to of Object.keys(PACKAGE_FILES)) fs.rmSync(path.join(__dirname, to), { force: true });
}

function build() {
  clean();
  fs.mkdirSync(distDir, { recursive: true });
  for (const [name, entry] of Object.entries(BUNDLES)) {
    buildBundle(entry, path.join(distDir, `${name}.cjs`));
  }
  const copy = (from, to) => {
    const source = path.join(root, from);
    if (!fs.existsSync(source)) throw new Error(`pack-build: ${from} is missing in ${root}`);
    fs.cpSync(source, to, { recursive: true });
  };
  for (const [to, from] of Object.entries(ASSETS)) copy(from, path.join(assetsDir, to));
  for (const [to, from] of Object.entries(PACKAGE_FILES)) copy(from, path.join(__dirname, to));
}

if (process.argv.includes('--clean')) clean();
else build();
