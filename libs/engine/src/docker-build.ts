import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePlatform } from './build-argv';
import { buildxArgv, metadataDigest } from './buildx-argv';
import type { BuilderInfo } from './buildx-builder';
import type { PreparedBuild } from './cli-engine';
import { EngineError } from './errors';
import { secretValues, valueSecretsAsEnv } from './secret-files';
import type { BuildRequest, EngineName } from './types';

/** What a docker build asks of its engine, asked when needed (in this order). */
export interface DockerBuildContext {
  name: EngineName;
  env: NodeJS.ProcessEnv;
  /** The buildx builder named by the user; buildx's current one when unset. */
  builderName?: string;
  describeBuilder(): Promise<BuilderInfo>;
  platforms(): Promise<string[] | null>;
  /** Whether the daemon keeps images in the containerd store (known once info() ran). */
  containerdStore(): boolean;
}

/** argv and env of a `docker buildx build`; refuses what the builder cannot do, by name. */
export async function prepareDockerBuild(
  ctx: DockerBuildContext,
  req: BuildRequest,
  dir: string,
): Promise<PreparedBuild> {
  const values = secretValues(req.secrets ?? [], ctx.env, ctx.name);
  const builder = await ctx.describeBuilder();
  await requirePlatforms(ctx, req.platforms ?? [], builder);
  const containerdStore = ctx.containerdStore();
  if (req.output === 'registry' && builder.driver === 'docker' && !containerdStore)
    throw new EngineError(
      `the docker builder cannot push straight to a registry without the containerd image store. What to do: turn it on ("features": {"containerd-snapshotter": true} in daemon.json), use another builder (IMAGESMITH_BUILDER), or set IMAGESMITH_BUILD_OUTPUT=engine`,
      ctx.name,
    );
  const { secrets, env } = valueSecretsAsEnv(req.secrets ?? []);
  const argv = buildxArgv(
    { ...req, secrets },
    {
      iidfile: join(dir, 'iid'),
      metadataFile: join(dir, 'metadata.json'),
      builder: ctx.builderName,
      driver: builder.driver,
      cacheExport: builder.driver !== 'docker' || containerdStore,
      // Verified: a builder's registry push, and the docker driver's load into the containerd store
      // (docker push then sends the attestation manifests too). Another builder's --load goes
      // through a docker tarball: left unattested rather than risk the load.
      attest: req.output === 'registry' || (builder.driver === 'docker' && containerdStore),
    },
  );
  return { argv, env, secretValues: values };
}

async function requirePlatforms(
  ctx: DockerBuildContext,
  wanted: readonly string[],
  builder: BuilderInfo,
): Promise<void> {
  if (wanted.length === 0) return;
  const can = (await ctx.platforms()) ?? [];
  const missing = [...new Set(wanted.map(normalizePlatform))].filter((p) => !can.includes(p));
  if (missing.length > 0)
    throw new EngineError(
      `the ${builder.name} builder (driver ${builder.driver}) cannot build ${missing.join(', ')}: it runs ${can.join(', ') || 'no platform it reports'}. What to do: register qemu for it (\`bash .ci/setup-engine.sh\` registers linux/arm64 with binfmt_misc), use a builder that has it (IMAGESMITH_BUILDER), or build one platform with \`build --platform ${can[0] ?? 'linux/amd64'}\``,
      ctx.name,
    );
}

/** The manifest digest buildx wrote to its --metadata-file in the build's temp dir, if any. */
export function buildxBuiltDigest(dir: string): string | undefined {
  try {
    return metadataDigest(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
