// What other packages use of @imagesmith/engine, by name: a name not listed here is internal.
// Export one from here when another package needs it (tests inside the library import the module file).
export {
  type BuildRequest,
  type BuildSecret,
  type Container,
  type ContainerRequest,
  type Engine,
  type EngineName,
  type ExecRequest,
  type ImageInfo,
  type RunRequest,
  type RunResult,
} from './types';
export { EngineError } from './errors';
export { makeWhich } from './exec';
export { parseImageRef, registryLocation, repositoryName, tagOf, withTag } from './parse-image-ref';
export { hostPlatform, normalizePlatform } from './build-argv';
export { BuildLog, formatBuildFailure, outputLines } from './build-log';
export { createEngine, detectEngine } from './detect-engine';
export {
  type CredentialSearch,
  engineCredentials,
  findRegistryCredentials,
} from './registry-credentials';
export {
  RegistryAuthError,
  RegistryLabelMismatchError,
  RegistryUnavailableError,
} from './registry-errors';
export { Progress, type ProgressOptions, withProgress } from './progress';
export { type DigestAnswer, resolveManifestDigest } from './resolve-digest';
export { pushTimeoutMs, pushWithin } from './registry-deadline';
export { PUBLISH_NETWORK } from './container-ports';
export { type ExpectedLabel, type RegistryLookup, registryTimeoutMs } from './registry-api';
export {
  createRegistryClient,
  httpRegistryLookup,
  type RegistryClient,
  registryHasManifest,
} from './registry-client';
export { deleteManifest, RegistryDeleteRefusedError } from './registry-delete';
export { listTags } from './registry-tags';
export {
  type AttestationCheck,
  attest,
  copyImage,
  type CosignOptions,
  decodeAttestations,
  type InTotoStatement,
  type SignatureCheck,
  signDigest,
  unlockKey,
  verifyAttestations,
  verifySignature,
} from './cosign';
export {
  COSIGN_KEY_VARIABLE,
  COSIGN_PUBLIC_KEY_VARIABLE,
  type CosignKey,
  requireKey,
  type SigningSettings,
  signingKey,
  verificationKey,
} from './cosign-key';
export { type RegistryTrust } from './cosign-argv';
export {
  exportForSyft,
  findSyft,
  localImageSource,
  runSyft,
  SYFT_VERSION,
  syftEnv,
  syftInstallHint,
  syftScanArgv,
} from './syft';
export {
  atDigest,
  attachSpdxReferrer,
  fetchManifest,
  readPushedImage,
  SPDX_JSON,
} from './syft-attach';
