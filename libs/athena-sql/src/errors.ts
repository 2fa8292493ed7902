/**
 * Why a query can't run locally as Athena would run it. `syntax`: the text is not valid SQL (with where);
 * `unsupported`: a construct Athena has that the local engine can't give the same answer for, named with the
 * nearest local way to write it; `not-a-query`: anything but one SELECT (local queries only read).
 */
export type AthenaSqlErrorKind = 'syntax' | 'unsupported' | 'not-a-query';

/** 1-based, in the text the user wrote. */
export interface SqlPosition {
  line: number;
  column: number;
}

export class AthenaSqlError extends Error {
  constructor(
    readonly kind: AthenaSqlErrorKind,
    message: string,
    /** Where in the text the user wrote: a syntax error's token, a refused construct's first word. */
    readonly position?: SqlPosition,
    /** The word of the text a refusal is about (a function's name), to find its position by. */
    readonly word?: string,
  ) {
    super(message);
    this.name = 'AthenaSqlError';
  }

  /** The same error, its message ending with where it is (`(line 1, column 8)`, as syntax errors end). */
  at(position: SqlPosition): AthenaSqlError {
    return new AthenaSqlError(this.kind, `${this.message} (line ${position.line}, column ${position.column})`, position);
  }
}

/** The way out a refusal always offers: the same text, untouched, on Athena. */
export const ON_ATHENA = 'or run it with --target aws';

/** A construct the local engine lacks: what it is, and how to write the same thing locally. */
export function unsupported(construct: string, instead: string, word?: string): AthenaSqlError {
  return new AthenaSqlError('unsupported', `${construct} is not supported by the local engine: ${instead}, ${ON_ATHENA}`, undefined, word);
}

/** An Athena function the local engine does not have (the function table's refusals). */
export function missingFunction(name: string, instead: string): AthenaSqlError {
  return new AthenaSqlError('unsupported', `${name} is an Athena function the local engine does not have: ${instead}, ${ON_ATHENA}`, undefined, name);
}
