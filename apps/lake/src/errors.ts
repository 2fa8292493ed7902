/** A failure the user can act on: the CLI prints its message as one line and exits with its code. */
export class LakeError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'LakeError';
  }
}

/** The `code` of a Node.js system error (ENOENT, EADDRINUSE, …), if it has one. */
export function errorCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** An AWS SDK error's name (ResourceInUseException, …), if it has one. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
