import {
  type CosignKey,
  type CosignOptions,
  EngineError,
  repositoryName,
  signDigest,
  signingKey,
  unlockKey,
} from '@imagesmith/engine';
import type { Session } from '../shared/engine-context';

/** What push does about signatures: sign each pushed manifest, then (without a key) say so once. */
export interface PushSigner {
  /** Called once per image, after its tags are pushed, with the digest they name. */
  sign(variant: string, ref: string, digest: string | undefined): Promise<void>;
  /** Called once at the end of the push. */
  done(): void;
}

/** The one line push prints when no key is configured. */
export const UNSIGNED_NOTICE =
  'not signed: no signing key (set "signing": {"key": "<path to cosign.key>"} in imagesmith.json, or COSIGN_KEY to the key text, with its password in COSIGN_PASSWORD; make one with `cosign generate-key-pair`)';

/**
 * The signer for one push command; without a configured key it signs nothing and says so in one
 * line at the end. The key is opened first, before anything is pushed: a missing or garbled key or a
 * wrong COSIGN_PASSWORD fails with nothing moved. cosign gets the process environment, so it uses
 * the same DOCKER_CONFIG login as the engine (and REGISTRY_AUTH_FILE for buildah/podman).
 */
export async function pushSigner(
  s: Pick<Session, 'root' | 'config' | 'log'>,
  env: NodeJS.ProcessEnv = process.env,
  cosign: Omit<CosignOptions, 'env'> = {},
): Promise<PushSigner> {
  const key = signingKey(s.root, s.config.signing, env);
  if (!key) return { sign: async () => undefined, done: () => s.log(UNSIGNED_NOTICE) };
  const opts: CosignOptions = { ...cosign, env };
  await unlockKey(key, opts);
  return {
    sign: (variant, ref, digest) => signPushed(s, key, opts, variant, ref, digest),
    done: () => undefined,
  };
}

async function signPushed(
  s: Pick<Session, 'log'>,
  key: CosignKey,
  opts: CosignOptions,
  variant: string,
  ref: string,
  digest: string | undefined,
): Promise<void> {
  if (!digest)
    throw new EngineError(
      `${variant}: cannot sign ${ref}: the registry did not say which digest it holds; push again`,
      'cosign',
    );
  // The digest push pushed (the index digest for a multi-platform image): a signature names
  // content, so a tag that later moves to other content is no longer verified.
  const signed = `${repositoryName(ref)}@${digest}`;
  await signDigest(signed, key, opts);
  s.log(`${variant}: signed ${signed} (key: ${key.setting})`);
}
