/**
 * buildah for the e2e tests (bookworm's package, overlay storage): whether it can build here, its
 * CLI, and removing what a test run left in its store.
 */
import { execFileSync } from 'node:child_process';
import { createEngine } from '../../libs/engine/src/index';

const BUILDAH = ['buildah', '--storage-driver', 'overlay'];

export const buildah = (...args: string[]) =>
  execFileSync(BUILDAH[0]!, [...BUILDAH.slice(1), ...args], { encoding: 'utf8' }).trim();

/** Why buildah cannot build here ('' when it can); throws in CI. */
export async function buildahMissing(): Promise<string> {
  try {
    await createEngine('buildah').info();
    return '';
  } catch (e) {
    if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) throw e;
    return `buildah is not usable here: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** buildah's tags of `repository/image` (a manifest list goes with manifest rm); none without buildah. */
export function removeBuildahTags(repository: string, image: string): void {
  let names: string[] = [];
  try {
    names = buildah(
      'images',
      '--format',
      '{{.Name}}:{{.Tag}}',
      '--filter',
      `reference=${repository}/${image}`,
    )
      .split('\n')
      .filter((n) => n.startsWith(`${repository}/`));
  } catch {
    return; // no buildah here
  }
  for (const n of names)
    try {
      buildah('manifest', 'rm', n);
    } catch {
      try {
        buildah('rmi', n);
      } catch {
        // gone meanwhile
      }
    }
}
