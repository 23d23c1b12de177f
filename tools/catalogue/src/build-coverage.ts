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
import {
  classifyCoverage,
  failedParent,
  renderCoverageTable,
  type Coverage,
  type CoverageFacts,
} from './classify-coverage';

const ROOT = join(__dirname, '..', '..', '..');

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

function gatherFacts(mirror: string | undefined, skip: Set<string>): CoverageFacts[] {
  const imagesDir = join(ROOT, 'images');
  const names = readdirSync(imagesDir)
    .filter((n) => existsSync(join(imagesDir, n, 'image.yaml')))
    .sort();
  const facts = names.map((image): CoverageFacts => {
    const dir = join(imagesDir, image);
    const base = /^base:\s*["']?([^"'\s#]+)/m.exec(read(join(dir, 'image.yaml')) ?? '')?.[1];
    const parent = base !== undefined && names.includes(base) ? base : undefined;
    const variants = variantDirs(dir);
    const refs = parent
      ? []
      : variants.map((v) => {
          const arg = /^ARG BASE_IMAGE=(\S+)/m.exec(read(join(v, 'Dockerfile')) ?? '')?.[1] ?? '?';
          return mirrorReference(arg, mirror);
        });
    const found = refs.map((r) => [r, standInPython(r)] as const);
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
  });
  // Parents first.
  const depth = (f: CoverageFacts): number =>
    f.parent ? 1 + depth(facts.find((p) => p.image === f.parent)!) : 0;
  return facts.sort((a, b) => depth(a) - depth(b) || (a.image < b.image ? -1 : 1));
}

/**
 * For repo:tag in an HTTP registry (host:port/path:tag): undefined when absent, else the Python
 * its stand-in label names ('' when unlabelled). Reads the manifest, then its config blob.
 */
function standInPython(ref: string): string | undefined {
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
  if (!m) return undefined;
  const get = (path: string, accept?: string): string | undefined => {
    const args = ['-sf', '-m', '10', ...(accept ? ['-H', `Accept: ${accept}`] : [])];
    const r = spawnSync('curl', [...args, `http://${m[1]}/v2/${m[2]}/${path}`], {
      encoding: 'utf8',
    });
    return r.status === 0 ? r.stdout : undefined;
  };
  const manifest = get(`manifests/${m[3]}`, 'application/vnd.docker.distribution.manifest.v2+json');
  if (manifest === undefined) return undefined;
  const digest = (JSON.parse(manifest) as { config?: { digest?: string } }).config?.digest;
  const config = digest ? get(`blobs/${digest}`) : undefined;
  const labels = config
    ? ((JSON.parse(config) as { config?: { Labels?: Record<string, string> } }).config?.Labels ??
      {})
    : {};
  return labels['dev.imagesmith.stand-in.python'] ?? '';
}

function main(): number {
  const dryRun = process.argv.includes('--dry-run');
  const mirror = process.env.IMAGESMITH_REGISTRY_MIRROR;
  const skip = new Set((process.env.CATALOGUE_SKIP ?? '').split(/\s+/).filter(Boolean));
  const facts = gatherFacts(mirror, skip);
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
  return failed.size ? 1 : 0;
}

process.exitCode = main();
