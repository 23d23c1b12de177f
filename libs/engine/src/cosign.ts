import {
  attestArgv,
  copyArgv,
  publicKeyArgv,
  signArgv,
  triangulateArgv,
  verifyArgv,
  verifyAttestationArgv,
  type RegistryTrust,
} from './cosign-argv';
import { requireKey, type CosignKey } from './cosign-key';
import { EngineError, excerpt, redact } from './errors';
import { defaultExec, makeWhich, type Exec, type ExecResult, type Which } from './exec';
import { parseImageRef, registryOf } from './parse-image-ref';

/** How cosign runs; everything injectable so tests can see argv and env without running it. */
export interface CosignOptions extends RegistryTrust {
  exec?: Exec;
  /** The environment cosign gets: registry logins come from its DOCKER_CONFIG (the engine's). */
  env?: NodeJS.ProcessEnv;
  which?: Which;
  timeoutMs?: number;
}

/** A signature check's answer: `reason` says why not, for a line naming the reference. */
export interface SignatureCheck {
  verified: boolean;
  ref: string;
  /** The manifest digest the reference names (when the registry told). */
  digest?: string;
  /** unsigned: no signature at all; other-key: signatures, none by this key; missing: no such image. */
  problem?: 'unsigned' | 'other-key' | 'missing';
  reason?: string;
}

/** An in-toto statement (the payload of an attestation's DSSE envelope), decoded. */
export interface InTotoStatement {
  _type: string;
  predicateType: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicate: unknown;
}

export interface AttestationCheck {
  verified: boolean;
  ref: string;
  /** Every attestation of the type signed by the key, decoded (empty when not verified). */
  statements: InTotoStatement[];
  digest?: string;
  /** none: no attestation of this type; other-key: only by other keys; missing: no such image. */
  problem?: 'none' | 'other-key' | 'missing';
  reason?: string;
}

const INSTALL_HINT =
  'install cosign 2.x (`bash tools/setup.sh --engine` installs it), or remove the signing settings';

/**
 * The environment cosign runs with. COSIGN_PASSWORD is always set ("" when unset): without it cosign
 * prompts on the terminal, which would hang CI. It travels in the environment, never argv.
 */
export function cosignEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, COSIGN_PASSWORD: env.COSIGN_PASSWORD ?? '' };
}

/** The secrets that must never reach a log or error: the password and any key text in the env. */
function secretsOf(env: NodeJS.ProcessEnv, key?: CosignKey): string[] {
  const out = [env.COSIGN_PASSWORD];
  if (key?.kind === 'env') {
    const text = env[key.variable] ?? '';
    out.push(text, ...text.split('\n').filter((l) => l.trim().length >= 16));
  }
  return out.filter((s): s is string => !!s);
}

async function runCosign(
  argv: string[],
  opts: CosignOptions,
  key?: CosignKey,
): Promise<ExecResult & { scrubbed: string }> {
  const env = cosignEnvironment(opts.env ?? process.env);
  const cosign = (opts.which ?? makeWhich(env))('cosign');
  if (!cosign) throw new EngineError(`cosign is not on PATH: ${INSTALL_HINT}`, 'cosign');
  const result = await (opts.exec ?? defaultExec)(cosign, argv, {
    env,
    timeoutMs: opts.timeoutMs,
  });
  if (result.notFound) throw new EngineError(`cosign could not run: ${INSTALL_HINT}`, 'cosign');
  const secrets = secretsOf(env, key);
  return {
    ...result,
    stdout: redact(result.stdout, secrets),
    stderr: redact(result.stderr, secrets),
    scrubbed: redact(`${result.stderr}\n${result.stdout}`, secrets),
  };
}

/** A registry refusal or outage, said with what to do; undefined when the output is no such thing. */
function registryProblem(ref: string, output: string): string | undefined {
  const registry = registryOf(ref) ?? 'docker.io';
  if (/UNAUTHORIZED|DENIED|authentication required|401 Unauthorized|403 Forbidden/i.test(output))
    return `the registry ${registry} refused the login: log in with \`docker login ${registry}\` (cosign uses the engine's DOCKER_CONFIG), then try again`;
  if (/connection refused|no such host|i\/o timeout|context deadline exceeded/i.test(output))
    return `the registry ${registry} could not be reached; start or fix it, then try again`;
  return undefined;
}

/** What is wrong with a private key, from cosign's words, naming its setting; undefined if not the key. */
function keyProblem(key: CosignKey, output: string): string | undefined {
  if (/decrypt|decryption failed|incorrect password|inappropriate ioctl/i.test(output))
    return `${key.setting}: the key's password does not match; set COSIGN_PASSWORD (in the environment) to the password given to \`cosign generate-key-pair\``;
  if (/invalid pem block|reading key|unsupported pem type|parsing private key/i.test(output))
    return `${key.setting}: cosign cannot read the key (garbled or not a cosign private key); give the cosign.key written by \`cosign generate-key-pair\``;
  return undefined;
}

/** A failed sign/attest, as an error naming the key's setting when the key is what failed. */
function signingFailure(what: string, ref: string, key: CosignKey, output: string): EngineError {
  const why =
    keyProblem(key, output) ?? registryProblem(ref, output) ?? `cosign failed:\n${excerpt(output)}`;
  return new EngineError(`cannot ${what} ${ref}: ${why}`, 'cosign');
}

function requireDigestRef(ref: string, what: string): void {
  if (!parseImageRef(ref).digest)
    throw new EngineError(
      `cannot ${what} ${ref}: name the manifest by digest (repo@sha256:...), so the signature is bound to the content and not to a tag that may move`,
      'cosign',
    );
}

/**
 * Opens a private key with COSIGN_PASSWORD (`cosign public-key`) and returns its public key (PEM):
 * push calls it before anything moves, so a wrong password or garbled key fails with nothing pushed.
 */
export async function unlockKey(key: CosignKey, opts: CosignOptions = {}): Promise<string> {
  requireKey(key, 'private', opts.env);
  const result = await runCosign(publicKeyArgv(key), opts, key);
  if (result.exitCode !== 0)
    throw new EngineError(
      keyProblem(key, result.scrubbed) ??
        `${key.setting}: cosign cannot open the key:\n${excerpt(result.scrubbed)}`,
      'cosign',
    );
  return result.stdout.trim();
}

/** Signs one manifest (by digest) with a private key and stores the signature in the registry. */
export async function signDigest(
  ref: string,
  key: CosignKey,
  opts: CosignOptions = {},
): Promise<void> {
  requireDigestRef(ref, 'sign');
  requireKey(key, 'private', opts.env);
  const result = await runCosign(signArgv(ref, key, opts), opts, key);
  if (result.exitCode !== 0) throw signingFailure('sign', ref, key, result.scrubbed);
}

/** Attaches a signed in-toto attestation (predicate file of `type`) to one manifest (by digest). */
export async function attest(
  ref: string,
  predicate: { predicateFile: string; type: string },
  key: CosignKey,
  opts: CosignOptions = {},
): Promise<void> {
  requireDigestRef(ref, 'attest');
  requireKey(key, 'private', opts.env);
  const result = await runCosign(attestArgv(ref, predicate, key, opts), opts, key);
  if (result.exitCode !== 0) throw signingFailure('attest', ref, key, result.scrubbed);
}

/** The digest a reference names now, from cosign's own resolution (its signature tag). */
async function digestOf(ref: string, opts: CosignOptions): Promise<string | undefined> {
  const ref0 = parseImageRef(ref).digest;
  if (ref0) return ref0;
  const result = await runCosign(triangulateArgv(ref, opts), opts);
  const hex = /:sha256-([0-9a-f]{64})\.sig\s*$/.exec(result.stdout.trim())?.[1];
  return result.exitCode === 0 && hex ? `sha256:${hex}` : undefined;
}

function publicKeyFailure(key: CosignKey): EngineError {
  return new EngineError(
    `${key.setting}: cosign cannot read the public key (garbled or not a cosign public key); give the cosign.pub written by \`cosign generate-key-pair\``,
    'cosign',
  );
}

const MISSING = /tag not found|MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest unknown/i;

/**
 * Checks a reference's signature with a public key. Unsigned, signed by another key and missing
 * images are answers (verified: false with the reason); an unusable key or registry is an error.
 */
export async function verifySignature(
  ref: string,
  publicKey: CosignKey,
  opts: CosignOptions = {},
): Promise<SignatureCheck> {
  parseImageRef(ref);
  requireKey(publicKey, 'public', opts.env);
  const result = await runCosign(verifyArgv(ref, publicKey, opts), opts, publicKey);
  if (result.exitCode === 0) {
    const digest = signedDigest(result.stdout);
    return { verified: true, ref, ...(digest ? { digest } : {}) };
  }
  const out = result.scrubbed;
  if (/loading public key|pem to public key/i.test(out)) throw publicKeyFailure(publicKey);
  // cosign's exit codes (cmd/cosign/errors): 10 no signatures, 11 image not found, 12 no match.
  if (result.exitCode === 11 || MISSING.test(out))
    return { verified: false, ref, problem: 'missing', reason: 'no such image in the registry' };
  const digest = await digestOf(ref, opts);
  const at = digest ? ` (${digest})` : '';
  if (result.exitCode === 10 || /no signatures found/i.test(out))
    return {
      verified: false,
      ref,
      ...(digest ? { digest } : {}),
      problem: 'unsigned',
      reason: `the content it names${at} has no signature`,
    };
  if (result.exitCode === 12 || /no matching signatures/i.test(out))
    return {
      verified: false,
      ref,
      ...(digest ? { digest } : {}),
      problem: 'other-key',
      reason: `the content it names${at} is signed, but not by the key in ${publicKey.setting}`,
    };
  throw new EngineError(
    `cannot verify ${ref}: ${registryProblem(ref, out) ?? `cosign failed:\n${excerpt(out)}`}`,
    'cosign',
  );
}

/** The docker-manifest-digest of cosign verify's JSON payloads (all name the same image). */
function signedDigest(stdout: string): string | undefined {
  try {
    const payloads = JSON.parse(stdout) as {
      critical?: { image?: { 'docker-manifest-digest'?: string } };
    }[];
    return payloads[0]?.critical?.image?.['docker-manifest-digest'];
  } catch {
    return undefined;
  }
}

/** Decodes cosign verify-attestation's output: one DSSE envelope per line, payload base64 in-toto. */
export function decodeAttestations(stdout: string): InTotoStatement[] {
  const out: InTotoStatement[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const envelope = JSON.parse(line) as { payload?: string };
    if (!envelope.payload) continue;
    out.push(
      JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as InTotoStatement,
    );
  }
  return out;
}

/** Checks a reference's attestations of one predicate type with a public key, and decodes them. */
export async function verifyAttestations(
  ref: string,
  type: string,
  publicKey: CosignKey,
  opts: CosignOptions = {},
): Promise<AttestationCheck> {
  parseImageRef(ref);
  requireKey(publicKey, 'public', opts.env);
  const result = await runCosign(
    verifyAttestationArgv(ref, type, publicKey, opts),
    opts,
    publicKey,
  );
  if (result.exitCode === 0) {
    const statements = decodeAttestations(result.stdout);
    const hex = statements[0]?.subject[0]?.digest.sha256;
    return { verified: true, ref, statements, ...(hex ? { digest: `sha256:${hex}` } : {}) };
  }
  const out = result.scrubbed;
  if (/loading public key|pem to public key/i.test(out)) throw publicKeyFailure(publicKey);
  if (MISSING.test(out))
    return {
      verified: false,
      ref,
      statements: [],
      problem: 'missing',
      reason: 'no such image in the registry',
    };
  const digest = await digestOf(ref, opts);
  const at = digest ? ` (${digest})` : '';
  const base = { verified: false, ref, statements: [], ...(digest ? { digest } : {}) };
  if (/do not match threshold/i.test(out))
    return {
      ...base,
      problem: 'other-key',
      reason: `the content it names${at} has attestations, but none signed by the key in ${publicKey.setting}`,
    };
  const found = /matched the predicate type: .*?, found: (.+)$/m.exec(out)?.[1];
  if (found || /no matching attestations/i.test(out))
    return {
      ...base,
      problem: 'none',
      reason: `the content it names${at} has no ${type} attestation${found ? ` (it has ${found.trim()})` : ''}`,
    };
  throw new EngineError(
    `cannot verify the attestations of ${ref}: ${registryProblem(ref, out) ?? `cosign failed:\n${excerpt(out)}`}`,
    'cosign',
  );
}

/**
 * Copies an image with its signatures, attestations and SBOMs (`cosign copy`: verified here to
 * carry the `sha256-<digest>.sig`/`.att` tags along, so a copy still verifies with the same key).
 */
export async function copyImage(src: string, dst: string, opts: CosignOptions = {}): Promise<void> {
  parseImageRef(src);
  parseImageRef(dst);
  const result = await runCosign(copyArgv(src, dst, opts), opts);
  if (result.exitCode !== 0)
    throw new EngineError(
      `cannot copy ${src} to ${dst}: ${registryProblem(dst, result.scrubbed) ?? `cosign failed:\n${excerpt(result.scrubbed)}`}`,
      'cosign',
    );
}
