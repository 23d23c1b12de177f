import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyCoverage, type Coverage } from './classify-coverage';
import { gatherFacts } from './coverage-facts';

const ROOT = join(__dirname, '..', '..', '..');
const MIRROR = '127.0.0.1:5000';

/** The stand-ins .ci/make-base-images.sh pushes (its IMAGES list): reference -> labelled Python. */
function standIns(): Map<string, string> {
  const script = readFileSync(join(ROOT, '.ci/make-base-images.sh'), 'utf8');
  const list = /^IMAGES=\(\n([\s\S]*?)^\)/m.exec(script)?.[1] ?? '';
  const entries = [...list.matchAll(/^\s*"([^"|]+)\|[^|]*\|[^|]*\|([^|"]*)/gm)];
  return new Map(entries.map((m) => [`${MIRROR}/${m[1]}`, m[2]!]));
}

/** CI's coverage table for the committed catalogue, the registry holding exactly those stand-ins. */
async function coverage(): Promise<Map<string, Coverage>> {
  const present = standIns();
  const facts = await gatherFacts(ROOT, MIRROR, new Set(), async (ref) => present.get(ref));
  return new Map(classifyCoverage(facts).map((c) => [c.image, c]));
}

describe("CI's catalogue coverage on the stand-in bases", () => {
  it('reads the stand-ins from the script that makes them', () => {
    expect(standIns().get(`${MIRROR}/library/python:3.11-slim-bookworm`)).toBe('3.11');
  });

  it('builds the 3.11 core tree, the MLRun pair, the CUDA bases and dask-base: 8 images', async () => {
    const rows = await coverage();
    const built = [...rows.values()].filter((r) => r.status === 'build').map((r) => r.image);
    expect(built.sort()).toEqual([
      'dask-base',
      'fastapi-serve',
      'gpu-base',
      'kubeflow-jupyter',
      'ml-base',
      'mlrun',
      'python-base',
      'vessl-cuda',
    ]);
    expect(rows.get('vessl-cuda')?.why).toBe(
      `FROM ${MIRROR}/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04`,
    );
    expect(rows.get('ml-base')?.why).toBe('FROM mlrun');
  });

  it('says why each other image is not built', async () => {
    const rows = await coverage();
    const why = (image: string) => rows.get(image)?.why;
    for (const image of ['gpu-train', 'kubeflow-torch-gpu', 'vessl-torch'])
      expect(why(image)).toMatch(/^too heavy for CI: torch 2\.3\.1 \(/);
    expect(why('ml-models-gpu')).toMatch(
      /^skipped: its horovod sdist builds against CUDA and NCCL/,
    );
    for (const image of ['neuron-compile', 'neuron-inference', 'kubeflow-torch-inf'])
      expect(why(image)).toBe('not locked: packages from https://pip.repos.neuron.amazonaws.com');
    for (const image of ['vessl-python', 'kubeflow-torch-cpu', 'ml-models'])
      expect(why(image)).toBe('not locked: packages from https://download.pytorch.org/whl/cpu');
    expect(rows.get('kubeflow-data-science')).toMatchObject({ status: 'not locked' });
    expect(rows.size).toBe(19);
  });

  it('does not build on a stand-in whose Python differs from the image', async () => {
    const present = standIns();
    present.set(`${MIRROR}/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04`, '3.10');
    const facts = await gatherFacts(ROOT, MIRROR, new Set(), async (ref) => present.get(ref));
    const rows = new Map(classifyCoverage(facts).map((c) => [c.image, c]));
    expect(rows.get('gpu-base')?.why).toMatch(/has Python 3\.10, the image needs 3\.11$/);
    expect(rows.get('vessl-cuda')?.status).toBe('locked only');
  });
});
