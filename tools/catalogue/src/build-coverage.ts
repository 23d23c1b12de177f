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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorReference } from '@imagesmith/core';
import { createRegistryClient, registryTimeoutMs } from '@imagesmith/engine';
import {
  classifyCoverage,
  failedParent,
  renderCoverageTable,
  type Coverage,
  type CoverageFacts,
} from './classify-coverage';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTRY = createRegistryClient({ timeoutMs: registryTimeoutMs() });

/** Locked images CI does not build, though their parent is built here: why not. */
const LEFT_OUT: Record<string, string> = {
  'ml-models-gpu':
    'its horovod sdist builds against CUDA and NCCL (HOROVOD_GPU_OPERATIONS=NCCL), which no stand-in base has',
};
const PYPI = /^https:\/\/(pypi\.org|files\.pythonhosted\.org)\//;

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Non-PyPI index URLs a lock's packages come from, else those the pyproject's packages name. */
function vendorIndexes(dir: string): string[] {
  const lock = read(join(dir, 'poetry.lock'));
  const urls = new Set<string>();
  if (lock) {
    for (const m of lock.matchAll(/\[package\.source\][^[]*?url = "([^"]+)"/g)) urls.add(m[1]!);
  } else {
    const py = read(join(dir, 'pyproject.toml')) ?? '';
    const sources = new Map<string, string>();
    for (const m of py.matchAll(
      /\[\[tool\.poetry\.source\]\]\s*name = "([^"]+)"\s*url = "([^"]+)"/g,
    ))
      sources.set(m[1]!, m[2]!);
    for (const m of py.matchAll(/source = "([^"]+)"/g)) urls.add(sources.get(m[1]!) ?? m[1]!);
  }
  return [...urls].filter((u) => !PYPI.test(u)).sort();
}

/** Dirs holding a generated Dockerfile: the image's own, or one per matrix variant (py3.x). */
function variantDirs(dir: string): string[] {
  if (existsSync(join(dir, 'Dockerfile'))) return [dir];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'Dockerfile')))
    .sort()
    .map((d) => join(dir, d));
}

async function gatherFacts(
  mirror: string | undefined,
  skip: Set<string>,
): Promise<CoverageFacts[]> {
  const imagesDir = join(ROOT, 'images');
  const names = readdirSync(imagesDir)
    .filter((n) => existsSync(join(imagesDir, n, 'image.yaml')))
    .sort();
  const facts = await Promise.all(
    names.map(async (image): Promise<CoverageFacts> => {
      const dir = join(imagesDir, image);
      const base = /^base:\s*["']?([^"'\s#]+)/m.exec(read(join(dir, 'image.yaml')) ?? '')?.[1];
      const parent = base !== undefined && names.includes(base) ? base : undefined;
      const variants = variantDirs(dir);
      const refs = parent
        ? []
        : variants.map((v) => {
            const arg =
              /^ARG BASE_IMAGE=(\S+)/m.exec(read(join(v, 'Dockerfile')) ?? '')?.[1] ?? '?';
            return mirrorReference(arg, mirror);
          });
      const found = await Promise.all(refs.map(async (r) => [r, await standInPython(r)] as const));
      const missing = found.filter(([, py]) => py === undefined).map(([r]) => r);
      const header = read(join(variants[0] ?? dir, 'Dockerfile')) ?? '';
      return {
        image,
        parent,
        baseRef: (missing.length ? missing : refs).join(', ') || undefined,
        baseAvailable: refs.length > 0 && missing.length === 0,
        // One row per image: a matrix image's variants differ in Python, so the first one speaks.
        python: /· Python (\d+\.\d+)/.exec(header)?.[1],
        basePython: found[0]?.[1] || undefined,
        locked: variants.length > 0 && variants.every((v) => existsSync(join(v, 'poetry.lock'))),
        vendorIndexes: [...new Set(variants.flatMap(vendorIndexes))].sort(),
        skipped: skip.has(image) ? 'left out of CI (CATALOGUE_SKIP)' : LEFT_OUT[image],
      };
    }),
  );
  // Parents first.
  const depth = (f: CoverageFacts): number =>
    f.parent ? 1 + depth(facts.find((p) => p.image === f.parent)!) : 0;
  return facts.sort((a, b) => depth(a) - depth(b) || (a.image < b.image ? -1 : 1));
}

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
  const facts = await gatherFacts(mirror, skip);
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
