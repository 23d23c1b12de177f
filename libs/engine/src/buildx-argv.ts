import { normalizePlatform } from './build-argv';
import { secretArg } from './secret-files';
import type { BuildRequest } from './types';

/** What the docker engine knows about its builder, found once per run (see DockerEngine.info). */
export interface BuildxContext {
  /** File buildx writes the image (config) id to. */
  iidfile: string;
  /** File buildx writes its result metadata to (`containerimage.digest`). */
  metadataFile: string;
  /** `--builder`; buildx's current builder when left out. */
  builder?: string;
  /** The builder's driver (`docker`, `remote`, `kubernetes`, `docker-container`). */
  driver: string;
  /**
   * The builder can export a registry cache: every driver but `docker` on the classic image store
   * (which only has inline cache).
   */
  cacheExport: boolean;
  /**
   * The image keeps BuildKit's attestations on its way to the registry: a push from the builder,
   * or a load into the containerd image store (which keeps the image index with its attestation
   * manifests, and `docker push` sends them). The classic store drops them (buildx refuses).
   */
  attest: boolean;
}

/**
 * SLSA provenance (issue 12), max mode: the build's steps, materials (base digests) and its build
 * args and labels, among them org.opencontainers.image.revision, the spec's git commit (the
 * context is a snapshot outside git, so buildx finds no VCS of its own).
 * https://docs.docker.com/build/metadata/attestations/slsa-provenance/
 */
export const PROVENANCE_ATTEST = 'type=provenance,mode=max';

/**
 * The argv (after the docker binary) of one `docker buildx build`. Secrets appear only as
 * `id=X,env=VAR` or `id=X,src=PATH`, never their values.
 */
export function buildxArgv(req: BuildRequest, ctx: BuildxContext): string[] {
  const argv = ['buildx', 'build'];
  if (ctx.builder) argv.push('--builder', ctx.builder);
  argv.push('--progress', 'plain');
  // These machines have no bridge network; a remote BuildKit runs its own networking.
  const network = req.network ?? 'host';
  if (network !== 'default') argv.push('--network', network);
  argv.push('-f', req.dockerfile);
  if (req.target) argv.push('--target', req.target);
  for (const tag of req.tags) argv.push('-t', tag);
  for (const [k, v] of Object.entries(req.buildArgs ?? {})) argv.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(req.labels ?? {})) argv.push('--label', `${k}=${v}`);
  for (const s of req.secrets ?? []) argv.push('--secret', secretArg(s));
  for (const ref of req.cacheFrom ?? []) argv.push('--cache-from', `type=registry,ref=${ref}`);
  if (req.cacheTo && ctx.cacheExport)
    // A cache that cannot be written (registry full, no push right) must not fail a good build.
    argv.push('--cache-to', `type=registry,ref=${req.cacheTo},mode=max,ignore-error=true`);
  const platforms = [...new Set((req.platforms ?? []).map(normalizePlatform))];
  if (platforms.length > 0) argv.push('--platform', platforms.join(','));
  // Attestations deliberately, not by buildx's default (min mode, only some drivers). Provenance
  // records when and how this build ran, so an image index that carries it differs from build to
  // build; the image manifests it lists (what the attestation's subject names) stay reproducible.
  // The SBOM is syft's, attached after the push (BuildKit's scanner image cannot be pulled here).
  if (ctx.attest) argv.push('--attest', PROVENANCE_ATTEST, '--sbom=false');
  else argv.push('--provenance=false', '--sbom=false');
  // A source date only where it buys a reproducible digest: a push from a builder that can rewrite
  // layer file times (moby's image store refuses rewrite-timestamp: "conflicts with unpack").
  // Elsewhere a date that changes per commit would only defeat the layer cache of the steps that
  // declare it (pip's), for no reproducibility.
  const reproducible =
    req.output === 'registry' && ctx.driver !== 'docker' && req.sourceDateEpoch !== undefined;
  if (reproducible) argv.push('--build-arg', `SOURCE_DATE_EPOCH=${req.sourceDateEpoch}`);
  if (req.output === 'registry')
    argv.push('--output', `type=image,push=true${reproducible ? ',rewrite-timestamp=true' : ''}`);
  else argv.push('--load');
  argv.push('--iidfile', ctx.iidfile, '--metadata-file', ctx.metadataFile, req.contextDir);
  return argv;
}

/**
 * The manifest (list) digest from buildx's --metadata-file JSON, when it reports one.
 * https://docs.docker.com/reference/cli/docker/buildx/build/#metadata-file
 */
export function metadataDigest(json: string): string | undefined {
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const digest = parsed['containerimage.digest'];
    return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
  } catch {
    return undefined;
  }
}
