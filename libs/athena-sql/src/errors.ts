/**
 * Why a query can't run locally as Athena would run it. `syntax`: the text is not valid SQL (with where);
 * `unsupported`: a construct Athena has that the local engine can't give the same answer for, named with the
 * nearest local way to write it; `not-a-query`: anything but one SELECT (local queries only read).
 */
export type AthenaSqlErrorKind = 'syntax' | 'unsupported' | 'not-a-query';

export class AthenaSqlError extends Error {
  constructor(
    readonly kind: AthenaSqlErrorKind,
    message: string,
    /** 1-based, in the text the user wrote (syntax errors). */
    readonly position?: { line: number; column: number },
  ) {
    super(message);
    this.name = 'AthenaSqlError';
  }
}

/** A construct the local engine lacks: what it is, and how to write the same thing locally. */
export function unsupported(construct: string, instead: string): AthenaSqlError {
  return new AthenaSqlError('unsupported', `${construct} is not supported by the local engine; ${instead}`);
}
