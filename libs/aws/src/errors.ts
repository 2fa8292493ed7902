/**
 * AWS SDK errors, classified once for every caller (PutRecords, DescribeStreamSummary, GetRecords, Athena):
 * what kind of failure it is, and a short stable code for messages and counts.
 */
export type AwsErrorKind =
  /** Worth trying again: throttling, an internal failure, a network error after which the request may not have arrived. */
  | 'retriable'
  /** Nothing answers there: a wrong endpoint, a server that is down, no network. Retrying may help, briefly. */
  | 'unreachable'
  /** The resource is missing or busy (ResourceNotFoundException, ResourceInUseException). */
  | 'resource'
  /** The credentials or the permission were refused. */
  | 'credentials'
  /** Anything else: no retry fixes it. */
  | 'fatal';

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
  'TooManyRequestsException',
  'LimitExceededException',
  'KMSThrottlingException',
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
const RESOURCE_NAMES = new Set(['ResourceNotFoundException', 'ResourceInUseException']);
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
export const PERMANENT_ENTRY_ERRORS: ReadonlySet<string> = new Set([
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

/** Sorts an error from an AWS SDK call into what to do about it. */
export function classifyAwsError(error: unknown): { kind: AwsErrorKind; code: string } {
  const code = errorCodeOf(error);
  const status = (error as ErrorFields | undefined)?.$metadata?.httpStatusCode;
  if (UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  if (NETWORK_CODES.has(code) || RETRIABLE_NAMES.has(code)) return { kind: 'retriable', code };
  if (RESOURCE_NAMES.has(code)) return { kind: 'resource', code };
  if (CREDENTIAL_NAMES.has(code)) return { kind: 'credentials', code };
  if (typeof status === 'number' && (status >= 500 || status === 429)) return { kind: 'retriable', code };
  if (/socket hang up|other side closed|ECONNRESET/i.test(code)) return { kind: 'retriable', code: 'ECONNRESET' };
  return { kind: 'fatal', code };
}

/** Whether a failed call is worth trying again later: a busy, restarting or briefly unreachable endpoint. */
export function isRetriable(kind: AwsErrorKind): boolean {
  return kind === 'retriable' || kind === 'unreachable';
}
