/**
 * Exit codes of `producer:send`, one per thing that can go wrong, so scripts can tell them apart.
 * The README has the same table.
 */
export const EXIT = {
  ok: 0,
  /** A bug or an error nobody classified: the message says what happened. */
  unexpected: 1,
  /** A bad flag or flag value. */
  usage: 2,
  /** Records refused before sending: invalid input lines, oversize records. */
  rejected: 3,
  /** Records that could not be delivered within the retry time: they are in the dead-letter file. */
  deadLettered: 4,
  /** The stream is missing or not ACTIVE. */
  stream: 5,
  /** The endpoint can't be reached. */
  unreachable: 6,
  /** AWS refused the credentials or the permission. */
  credentials: 7,
  /** The local lakehouse could not start or deliver. */
  lakehouse: 8,
  /** Stopped with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI prints as one line, with its exit code. */
export class ProducerError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProducerError';
  }
}

/** What to do about an error from a Kinesis call. */
export type ErrorKind = 'retriable' | 'stream' | 'credentials' | 'unreachable' | 'fatal';

/** Node socket errors: the request may not have reached the server, so it is safe to try again. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'TimeoutError',
  'RequestTimeout',
]);
/** Of those, the ones that mean nothing is listening there at all. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'TimeoutError']);

const RETRIABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const STREAM_NAMES = new Set(['ResourceNotFoundException', 'ResourceInUseException']);
const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'AccessDeniedException',
  'CredentialsProviderError',
]);

/**
 * Per-entry error codes of PutRecords that no retry can fix (the stream's KMS key is unusable).
 * Every other entry error (throttling, InternalFailure) is worth retrying.
 */
export const PERMANENT_ENTRY_ERRORS = new Set([
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSAccessDeniedException',
  'KMSNotFoundException',
  'KMSOptInRequired',
]);

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/** A short, stable code for an error: the AWS error name, the socket error code, or the HTTP status. */
function errorCodeOf(error: unknown): string {
  const e = (error ?? {}) as ErrorFields;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (typeof e.name === 'string' && e.name !== 'Error' && e.name !== 'TypeError') {
    if (e.name.endsWith('ServiceException') && typeof e.$metadata?.httpStatusCode === 'number') return `HTTP ${e.$metadata.httpStatusCode}`;
    return e.name;
  }
  if (typeof e.code === 'string') return e.code;
  if (typeof e.$metadata?.httpStatusCode === 'number') return `HTTP ${e.$metadata.httpStatusCode}`;
  return typeof e.message === 'string' && e.message ? e.message : String(error);
}

/** Sorts an error from a Kinesis call into what to do about it. */
export function classifyError(error: unknown): { kind: ErrorKind; code: string } {
  const code = errorCodeOf(error);
  const status = (error as ErrorFields | undefined)?.$metadata?.httpStatusCode;
  if (UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  if (NETWORK_CODES.has(code) || RETRIABLE_NAMES.has(code)) return { kind: 'retriable', code };
  if (STREAM_NAMES.has(code)) return { kind: 'stream', code };
  if (CREDENTIAL_NAMES.has(code)) return { kind: 'credentials', code };
  if (typeof status === 'number' && (status >= 500 || status === 429)) return { kind: 'retriable', code };
  if (/socket hang up|other side closed|ECONNRESET/i.test(code)) return { kind: 'retriable', code: 'ECONNRESET' };
  return { kind: 'fatal', code };
}

/** Whether a failed call is worth trying again later: a busy, restarting or briefly unreachable endpoint. */
export function isRetriable(kind: ErrorKind): boolean {
  return kind === 'retriable' || kind === 'unreachable';
}
