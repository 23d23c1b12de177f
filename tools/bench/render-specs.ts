/**
 * Benchmark: validate and render 1,000 synthetic specs in-process (no IO inside the loop).
 * Prints milliseconds per image. Run: npx tsx tools/bench/render-specs.ts [count]
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  generateVariant,
  loadProfiles,
  readTemplates,
  resolveVariants,
  validateCatalogue,
  type SpecSource,
} from '@imagesmith/core';

const root = join(__dirname, '..', '..');
const count = Number(process.argv[2] ?? 1000);
const profiles = loadProfiles(root).profiles;
const templates = readTemplates(root);
const kinds = [
  (i: number) =>
    `description: synthetic ${i}\nprofile: cpu\npython: "3.11"\nsystem_packages: [curl, git]\npython_packages: { numpy: "^1.26", pandas: "^2.2" }\nenv: { A: "${i}" }\ncommands: ["mkdir -p /data/${i}"]\n`,
  (i: number) =>
    `description: synthetic ${i}\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.10"\npython_packages: { torch: "2.3.1" }\n`,
  (i: number) =>
    `description: synthetic ${i}\nprofile: neuron-inf1\npython: "3.10"\npython_packages: { torch: "1.13.1", torch-neuron: "1.13.1.*" }\nports: [8080]\n`,
];
const sources: SpecSource[] = Array.from({ length: count }, (_, i) => ({
  name: `img-${i}`,
  file: `images/img-${i}/image.yaml`,
  text: kinds[i % kinds.length]!(i),
}));

const t0 = performance.now();
const { specs, diagnostics } = validateCatalogue(sources, profiles);
const t1 = performance.now();
if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics.slice(0, 3)));
const ws = { root, specs, profiles, templates };
let bytes = 0;
const requirements = { main: '', dev: '', mainCount: 1, devCount: 0 };
for (const name of specs.keys()) {
  for (const v of resolveVariants(ws, name)) {
    for (const f of generateVariant(v, {
      specText: specs.get(name)!.text,
      templates,
      requirements,
    }))
      bytes += f.content.length;
  }
}
const t2 = performance.now();
const fmt = (ms: number) => ms.toFixed(3);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(`specs: ${count} (cpu, cuda12, neuron-inf1 in turn)`);
console.log(
  `validate (schema + rules): ${fmt(t1 - t0)} ms total, ${fmt((t1 - t0) / count)} ms per spec`,
);
console.log(
  `render Dockerfiles:        ${fmt(t2 - t1)} ms total, ${fmt((t2 - t1) / count)} ms per image (${(bytes / 1024).toFixed(0)} KiB)`,
);
console.log(`validate + render:         ${fmt((t2 - t0) / count)} ms per image`);
