import { keyArgument, type CosignKey } from './cosign-key';
import { isLoopbackRegistry, parseImageRef } from './parse-image-ref';

/** Where a reference's registry may be spoken to over plain http / unverified TLS. */
export interface RegistryTrust {
  /** Registries (host[:port]) the user marked insecure; loopback ones always are. */
  insecureRegistries?: readonly string[];
}

/**
 * cosign's plain-http switches, only for loopback registries (the engines treat 127.0.0.0/8 and
 * localhost as insecure too) and for those the user listed: any other registry keeps TLS checks.
 */
export function registryFlags(ref: string, trust: RegistryTrust = {}): string[] {
  const registry = parseImageRef(ref).registry;
  const insecure =
    isLoopbackRegistry(registry) ||
    (registry !== undefined && (trust.insecureRegistries ?? []).includes(registry));
  return insecure ? ['--allow-http-registry', '--allow-insecure-registry'] : [];
}

// Transparency log: keys here are private (a file or a CI secret), so nothing is uploaded to the
// public Rekor log (which would publish the image names, and which these machines cannot reach),
// and verification checks the signature against the public key only: --private-infrastructure
// skips the tlog lookup without cosign's "insecure" warning. See
// https://docs.sigstore.dev/cosign/signing/overview/ ("Sign without the transparency log").
const NO_TLOG_UPLOAD = '--tlog-upload=false';
const NO_TLOG_CHECK = '--private-infrastructure';

/** `cosign sign` of one digest reference. Pure: the key is a path or env://NAME, never its text. */
export function signArgv(ref: string, key: CosignKey, trust?: RegistryTrust): string[] {
  return [
    'sign',
    '--key',
    keyArgument(key),
    NO_TLOG_UPLOAD,
    '--yes',
    ...registryFlags(ref, trust),
    ref,
  ];
}

/** `cosign verify` of a reference (tag or digest) against a public key; prints JSON payloads. */
export function verifyArgv(ref: string, key: CosignKey, trust?: RegistryTrust): string[] {
  return [
    'verify',
    '--key',
    keyArgument(key),
    NO_TLOG_CHECK,
    '--output',
    'json',
    ...registryFlags(ref, trust),
    ref,
  ];
}

/** `cosign attest` of an in-toto predicate (a file) of the given type onto a digest reference. */
export function attestArgv(
  ref: string,
  predicate: { predicateFile: string; type: string },
  key: CosignKey,
  trust?: RegistryTrust,
): string[] {
  return [
    'attest',
    '--key',
    keyArgument(key),
    '--predicate',
    predicate.predicateFile,
    '--type',
    predicate.type,
    NO_TLOG_UPLOAD,
    '--yes',
    ...registryFlags(ref, trust),
    ref,
  ];
}

/** `cosign verify-attestation`: one DSSE envelope (JSON) per line on stdout for each match. */
export function verifyAttestationArgv(
  ref: string,
  type: string,
  key: CosignKey,
  trust?: RegistryTrust,
): string[] {
  return [
    'verify-attestation',
    '--key',
    keyArgument(key),
    '--type',
    type,
    NO_TLOG_CHECK,
    ...registryFlags(ref, trust),
    ref,
  ];
}

/** `cosign copy`: the image and its signatures, attestations and SBOMs (cosign's tag scheme). */
export function copyArgv(src: string, dst: string, trust?: RegistryTrust): string[] {
  const flags = [...new Set([...registryFlags(src, trust), ...registryFlags(dst, trust)])];
  return ['copy', '--force', ...flags, src, dst];
}

/** `cosign triangulate`: the signature tag (`repo:sha256-<hex>.sig`) a reference's digest maps to. */
export function triangulateArgv(ref: string, trust?: RegistryTrust): string[] {
  return ['triangulate', ...registryFlags(ref, trust), ref];
}

/** `cosign public-key`: decrypts the private key (COSIGN_PASSWORD) and prints its public key. */
export function publicKeyArgv(key: CosignKey): string[] {
  return ['public-key', '--key', keyArgument(key)];
}
