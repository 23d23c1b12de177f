import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EngineError, parseImageRef, repositoryName } from '@imagesmith/engine';

/** cosign's tags for what is attached to a digest: `sha256-<hex>.sig`, `.att`, `.sbom`. */
const ATTACHMENT = /^sha256-([0-9a-f]{64})\.(sig|att|sbom)$/;

/** localhost and 127.0.0.0/8: plain-http registries, as the engines treat them. Pure. */
function plainHttp(ref: string): boolean {
  const host = (parseImageRef(ref).registry ?? '').replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `oras cp -r SRC DST` with plain http only for loopback registries. Pure. */
export function orasCopyArgv(src: string, dst: string, authFile?: string): string[] {
  return [
    'cp',
    '-r',
    ...(authFile ? ['--registry-config', authFile] : []),
    ...(plainHttp(src) ? ['--from-plain-http'] : []),
    ...(plainHttp(dst) ? ['--to-plain-http'] : []),
    src,
    dst,
  ];
}

/**
 * The cosign attachment tags of a manifest graph (`digests`: an index and its manifests) among a
 * repository's tags, in order. Pure.
 */
export function attachmentTags(tags: readonly string[], digests: readonly string[]): string[] {
  const wanted = new Set(digests);
  return tags.filter((t) => {
    const hex = ATTACHMENT.exec(t)?.[1];
    return hex !== undefined && wanted.has(`sha256:${hex}`);
  });
}

type Run = (args: string[]) => Promise<string>;

/** oras with the caller's environment (its registry logins: DOCKER_CONFIG), never a secret in argv. */
function orasRunner(env: NodeJS.ProcessEnv): Run {
  return async (args) => {
    try {
      const { stdout } = await promisify(execFile)('oras', args, {
        env,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const e = error as { code?: string | number; stderr?: string };
      if (e.code === 'ENOENT')
        throw new EngineError(
          'oras is not on PATH: promote copies images with it; install oras 1.2 (`bash tools/setup.sh --engine` does)',
          'registry',
        );
      throw new EngineError(
        `oras ${args[0]} ${args.at(-2) ?? ''} ${args.at(-1) ?? ''} failed:\n${(e.stderr ?? '').trim().slice(-1500)}`,
        'registry',
        { cause: error },
      );
    }
  };
}

/**
 * Copies `src` (repository@digest) to `dst` (repository:tag) unchanged: the manifest graph (an
 * index, every platform's manifest, BuildKit's attestation manifests; `oras cp -r` writes each
 * child before its index and keeps the bytes, so the digest stays), then cosign's signature,
 * attestation and SBOM tags of every digest in it. Not `cosign copy`: it writes the index under
 * a tag of its own while the platform manifests are still being copied, which a registry
 * refuses (MANIFEST_BLOB_UNKNOWN), and adds a `sha256-<hex>` tag for every manifest.
 */
export async function copyWithAttachments(
  src: string,
  dst: string,
  listTags: (repository: string) => Promise<string[]>,
  env: NodeJS.ProcessEnv = process.env,
  run: Run = orasRunner(env),
  /** buildah/podman's login file (REGISTRY_AUTH_FILE); oras reads docker's (DOCKER_CONFIG) otherwise. */
  authFile?: string,
): Promise<string[]> {
  const digest = parseImageRef(src).digest;
  if (!digest)
    throw new Error(`internal error: promote copies by digest, not ${src}; please report it`);
  await run(orasCopyArgv(src, dst, authFile));
  const plain = [
    ...(plainHttp(src) ? ['--plain-http'] : []),
    ...(authFile ? ['--registry-config', authFile] : []),
  ];
  const manifest = JSON.parse(await run(['manifest', 'fetch', ...plain, src])) as {
    manifests?: { digest: string }[];
  };
  const digests = [digest, ...(manifest.manifests ?? []).map((m) => m.digest)];
  const from = repositoryName(src);
  const to = repositoryName(dst);
  const copied = attachmentTags(await listTags(from), digests);
  for (const tag of copied) await run(orasCopyArgv(`${from}:${tag}`, `${to}:${tag}`, authFile));
  return copied;
}
