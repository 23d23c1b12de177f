/**
 * The facts CI's coverage step classifies (classify-coverage.ts), read from the committed catalogue:
 * specs, generated Dockerfiles, locks. The registry is asked only through the probe passed in, so
 * a test can answer for the stand-ins .ci/make-base-images.sh makes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mirrorReference } from '@imagesmith/core';
import { heavyPackagesIn, type CoverageFacts } from './classify-coverage';

/**
 * For a base reference: undefined when the registry lacks it, else the Python its stand-in label
 * (dev.imagesmith.stand-in.python) names, '' when unlabelled.
 */
export type StandInProbe = (ref: string) => Promise<string | undefined>;

/** Locked images CI does not build, though their parent is built here: why not. */
export const LEFT_OUT: Record<string, string> = {
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

/** "name version" of every package a poetry.lock pins. */
function lockedPackages(dir: string): string[] {
  const lock = read(join(dir, 'poetry.lock')) ?? '';
  return [...lock.matchAll(/^\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

/** Dirs holding a generated Dockerfile: the image's own, or one per matrix variant (py3.x). */
function variantDirs(dir: string): string[] {
  if (existsSync(join(dir, 'Dockerfile'))) return [dir];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'Dockerfile')))
    .sort()
    .map((d) => join(dir, d));
}

/** Every catalogue image's facts, parents first. */
export async function gatherFacts(
  root: string,
  mirror: string | undefined,
  skip: ReadonlySet<string>,
  standInPython: StandInProbe,
): Promise<CoverageFacts[]> {
  const imagesDir = join(root, 'images');
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
        heavy: heavyPackagesIn([...new Set(variants.flatMap(lockedPackages))]),
        skipped: skip.has(image) ? 'left out of CI (CATALOGUE_SKIP)' : LEFT_OUT[image],
      };
    }),
  );
  const depth = (f: CoverageFacts): number =>
    f.parent ? 1 + depth(facts.find((p) => p.image === f.parent)!) : 0;
  return facts.sort((a, b) => depth(a) - depth(b) || (a.image < b.image ? -1 : 1));
}
