import { isNoSuchImage, lines, type EngineCli } from './cli-engine';
import { imageInfoFromDockerInspect } from './image-info';
import type { ImageInfo } from './types';

/** docker/podman image queries and changes on the local store (inspect, tag, history, rm). */
export async function inspectDockerImage(cli: EngineCli, ref: string): Promise<ImageInfo | null> {
  const result = await cli.call(['image', 'inspect', ref]);
  if (result.exitCode !== 0 && isNoSuchImage(result)) return null;
  cli.check(
    result,
    `image inspect ${ref}`,
    `check that the ${cli.name} engine answers (\`${cli.binary} info\`)`,
  );
  const parsed: unknown = JSON.parse(result.stdout);
  const first = Array.isArray(parsed)
    ? (parsed[0] as Record<string, unknown> | undefined)
    : undefined;
  return first ? imageInfoFromDockerInspect(first, ref) : null;
}

export async function tagDockerImage(
  cli: EngineCli,
  source: string,
  target: string,
): Promise<void> {
  cli.check(
    await cli.call(['tag', source, target]),
    `tag ${source} ${target}`,
    `check that ${source} exists locally and ${target} is a valid name`,
  );
}

/** Each layer's CreatedBy, newest first. */
export async function dockerImageHistory(cli: EngineCli, ref: string): Promise<string[]> {
  const result = await cli.call(['history', '--no-trunc', '--format', '{{.CreatedBy}}', ref]);
  cli.check(result, `history ${ref}`, `check that ${ref} exists locally (pull or build it first)`);
  return lines(result.stdout);
}

/** Removes a local image; one that is not there is already removed. */
export async function removeDockerImage(cli: EngineCli, ref: string): Promise<void> {
  const result = await cli.call(['image', 'rm', ref]);
  if (result.exitCode !== 0 && isNoSuchImage(result)) return;
  cli.check(result, `image rm ${ref}`, `stop containers that use ${ref}, then remove it again`);
}
