import { EngineError } from './errors';

/**
 * The registry refused us (401/403): the lookup must not pass for "absent", or a build would
 * rebuild an image the registry holds and validate would call it "not built".
 */
export class RegistryAuthError extends EngineError {
  constructor(
    message: string,
    readonly registry: string,
    readonly status: number,
  ) {
    super(message, 'registry');
  }
}

/**
 * The registry could not say (5xx, another unexpected status, a timeout, no connection). A build
 * may go on (building is still correct) and says so; validate and push cannot.
 */
export class RegistryUnavailableError extends EngineError {
  /** e.g. `127.0.0.1:5000 answered 500 for <ref>`, `... could not be reached for <ref> (connection refused)`. */
  readonly answer: string;
  /** The registry's status, or why it did not answer (`connection refused`), when known. */
  readonly status?: number;
  readonly reason?: string;
  constructor(answer: string, options?: { cause?: unknown; status?: number; reason?: string }) {
    super(
      `the registry ${answer}: cannot tell whether it holds the image; check that the registry is up and healthy (or raise IMAGESMITH_REGISTRY_TIMEOUT), then try again`,
      'registry',
      options,
    );
    this.answer = answer;
    if (options?.status !== undefined) this.status = options.status;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/**
 * The registry holds the tag, but its image config carries another content label: a forged or
 * corrupted copy (or a tag moved by hand). It is there, and it is not this content.
 */
export class RegistryLabelMismatchError extends EngineError {
  constructor(
    readonly ref: string,
    readonly label: string,
    readonly found: string | undefined,
    readonly expected: string,
  ) {
    super(`${ref} in the registry is labelled ${found ?? '(none)'}, not ${expected}`, 'registry');
  }
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** Why a fetch threw, in words: a timeout, a refused connection, a TLS problem... */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `no answer within ${timeoutMs / 1000} s`;
  const code = e?.cause?.code;
  if (code) return CODES[code] ?? code;
  return e?.cause?.message ?? e?.message ?? String(error);
}
