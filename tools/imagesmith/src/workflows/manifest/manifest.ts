import { join } from 'node:path';
import { requireImage, resolveVariants, UsageError, writeFileAtomic } from '@imagesmith/core';
import { planBuild } from '../shared/build-plan';
import { contextReader, stateDir, type Session } from '../shared/engine-context';

/** Write the Debian and Python packages installed in the built image to <variant>/.imagesmith/manifest.md. */
export async function writeManifest(s: Session, image: string): Promise<string[]> {
  requireImage(s.ws, image);
  const files: string[] = [];
  for (const v of resolveVariants(s.ws, image)) {
    const plan = planBuild(s.ws, s.config, v, 'production', contextReader(s.root));
    const script = [
      'echo "@@debian"; dpkg-query -W -f=\'${Package}\\t${Version}\\n\' 2>/dev/null | sort',
      'echo "@@python"; PY=$(command -v python || command -v python3); "$PY" -m pip list --format=freeze 2>/dev/null | sort',
    ].join('\n');
    const r = await s.engine.run({
      image: plan.refs.content,
      entrypoint: 'sh',
      command: ['-c', script],
      network: 'none',
    });
    if (r.exitCode !== 0)
      throw new UsageError(
        `${v.name}: could not list packages in ${plan.refs.content} (exit ${r.exitCode}): ${r.stderr.trim()}; is it built?`,
      );
    const [, debian = '', python = ''] = r.stdout.split(/^@@(?:debian|python)$/m);
    const rows = (text: string, sep: RegExp) =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => `| ${l.split(sep).join(' | ')} |`);
    const md = [
      `# Package manifest: ${v.name}`,
      '',
      `Image: \`${plan.refs.content}\``,
      '',
      '## Python packages',
      '',
      '| Package | Version |',
      '| --- | --- |',
      ...rows(python, /==/),
      '',
      '## Debian packages',
      '',
      '| Package | Version |',
      '| --- | --- |',
      ...rows(debian, /\t/),
      '',
    ].join('\n');
    const file = join(stateDir(s.root, v), 'manifest.md');
    writeFileAtomic(file, md);
    s.log(`wrote ${file}`);
    files.push(file);
  }
  return files;
}
