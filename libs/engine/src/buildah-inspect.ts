import { isNoSuchImage, type EngineCli } from './cli-engine';

export type Json = Record<string, unknown>;

/** `buildah inspect --type image` of a local image; null when the store has none of that name. */
export async function buildahInspectRaw(cli: EngineCli, ref: string): Promise<Json | null> {
  const result = await cli.call(['inspect', '--type', 'image', ref]);
  if (result.exitCode !== 0 && isNoSuchImage(result)) return null;
  cli.check(result, `inspect ${ref}`, `run \`buildah images\` to check the local store`);
  return JSON.parse(result.stdout) as Json;
}
