/**
 * CI's catalogue coverage: build and validate (through Nx) every catalogue image whose base and
 * packages are reachable here, classify the rest, print the table, exit 1 when a build or contract
 * that should pass fails.
 *
 *   IMAGESMITH_REGISTRY_MIRROR=127.0.0.1:5000 npx tsx tools/catalogue/src/build-coverage.ts [--dry-run]
 *
 * CATALOGUE_SKIP="img other" leaves images out (shown as skipped). Needs the stand-in bases
 * (.ci/make-base-images.sh) in the registry.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createRegistryClient, registryTimeoutMs } from '@imagesmith/engine';
import {
  classifyCoverage,
  failedParent,
  renderCoverageTable,
  type Coverage,
} from './classify-coverage';
import { gatherFacts } from './coverage-facts';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTRY = createRegistryClient({ timeoutMs: registryTimeoutMs() });

/**
 * For a base reference: undefined when the registry lacks it, else the Python its stand-in label
 * names ('' when unlabelled). Asked through imagesmith's one registry client (manifest and
 * config blob, docker or OCI, an index's host-platform image; never a layer).
 */
async function standInPython(ref: string): Promise<string | undefined> {
  const config = await REGISTRY.imageConfig(ref).catch(() => undefined);
  return config ? (config.labels['dev.imagesmith.stand-in.python'] ?? '') : undefined;
}

async function main(): Promise<number> {
  const dryRun = process.argv.includes('--dry-run');
  const mirror = process.env.IMAGESMITH_REGISTRY_MIRROR;
  const skip = new Set((process.env.CATALOGUE_SKIP ?? '').split(/\s+/).filter(Boolean));
  const facts = await gatherFacts(ROOT, mirror, skip, standInPython);
  const rows: Coverage[] = classifyCoverage(facts);
  const failed = new Set<string>();
  for (const row of rows) {
    if (row.status !== 'build' || dryRun) continue;
    const parent = failedParent(facts, row.image, failed);
    if (parent) {
      failed.add(row.image);
      Object.assign(row, { status: 'FAILED', why: `parent ${parent} failed` });
      continue;
    }
    console.log(`== catalogue: nx run ${row.image}:validate`);
    const start = Date.now();
    const r = spawnSync('npx', ['nx', 'run', `${row.image}:validate`], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    const secs = Math.round((Date.now() - start) / 1000);
    if (r.status === 0) {
      Object.assign(row, { status: 'built + validated', why: `${row.why}, ${secs} s` });
    } else {
      failed.add(row.image);
      Object.assign(row, {
        status: 'FAILED',
        why: `nx run ${row.image}:validate exited ${r.status} after ${secs} s`,
      });
    }
  }
  console.log(`\nCatalogue coverage${dryRun ? ' (dry run: nothing built)' : ''}:\n`);
  console.log(renderCoverageTable(rows));
  if (failed.size)
    console.error(`\n${failed.size} image(s) that should build failed: ${[...failed].join(', ')}`);
  // A probe that finds no base (a registry answer it cannot read) would otherwise build nothing
  // and pass: in CI, at least one catalogue image must be built and validated.
  const built = rows.filter((r) => r.status === 'built + validated').length;
  if (!dryRun && process.env.CI && built === 0) {
    console.error(
      '\nno catalogue image was built here: check the stand-in bases in the registry (.ci/make-base-images.sh)',
    );
    return 1;
  }
  return failed.size ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
