import type { z } from 'zod';
import { eventRecordSchema, type EventRecord, type RecordSchema } from './event-record';
import { fieldsOf, type FieldSpec, type JsonSchemaProperty } from './fields';

/** One reason a record was refused: the field's path and a sentence a person can act on. */
export interface Problem {
  path: string;
  reason: string;
}

export type Validation<T> = { ok: true; record: T } | { ok: false; problems: Problem[] };

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  uuid: 'a UUID',
  email: 'an email address',
  'date-time': 'an ISO 8601 timestamp in UTC ending in Z (as toISOString() gives)',
  date: 'a date as YYYY-MM-DD',
  uri: 'a URI',
};

/**
 * A number's bounds in words, exclusive ones (`.positive()`, `.lt()`) included. z.int() bounds every integer
 * by the safe range; those bounds say nothing a person needs, so they are left out.
 */
function range(property: JsonSchemaProperty): string {
  const min = property.minimum !== undefined && property.minimum > Number.MIN_SAFE_INTEGER ? property.minimum : undefined;
  const max = property.maximum !== undefined && property.maximum < Number.MAX_SAFE_INTEGER ? property.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  const low = min !== undefined ? `at least ${min}` : property.exclusiveMinimum !== undefined ? `greater than ${property.exclusiveMinimum}` : undefined;
  const high = max !== undefined ? `at most ${max}` : property.exclusiveMaximum !== undefined ? `less than ${property.exclusiveMaximum}` : undefined;
  const bounds = [low, high].filter((b) => b !== undefined);
  if (bounds.length === 0) return '';
  return `${bounds[0]?.startsWith('at ') ? ' of ' : ' '}${bounds.join(' and ')}`;
}

/** What a field expects, in words, read off its JSON Schema. */
export function describeExpectation(property: JsonSchemaProperty): string {
  if (property.enum) return `one of ${property.enum.map(String).join(', ')}`;
  switch (property.type) {
    case 'integer':
      return `an integer${range(property)}`;
    case 'number':
      return `a number${range(property)}`;
    case 'boolean':
      return 'true or false';
    case 'string': {
      if (property.format && FORMAT_NAMES[property.format]) return FORMAT_NAMES[property.format] as string;
      if (property.minLength === 1 && property.maxLength === undefined) return 'a non-empty string';
      return `a string${property.minLength || property.maxLength ? ` of ${property.minLength ?? 0} to ${property.maxLength ?? 'any number of'} characters` : ''}`;
    }
    default:
      return `a ${String(property.type)}`;
  }
}

const PREVIEW_MAX = 60;

/** The offending value as the user wrote it, shortened. */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX)}…` : text;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function problemsOf(issues: z.core.$ZodIssue[], input: unknown, fields: Map<string, FieldSpec>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: key, reason: 'unknown field, not in the schema' });
      continue;
    }
    const path = issue.path.map(String).join('.') || '(record)';
    if (seen.has(path)) continue; // one problem per field is enough to act on
    seen.add(path);
    const field = fields.get(path);
    if (path === '(record)') {
      problems.push({ path, reason: `expected a JSON object, got ${preview(input)}` });
    } else if (field) {
      problems.push({ path, reason: `expected ${describeExpectation(field.property)}, got ${preview(valueAt(input, issue.path))}` });
    } else {
      problems.push({ path, reason: issue.message });
    }
  }
  return problems;
}

/** Builds a validator for a record schema; problems name each field and say what was expected and what came. */
export function createValidator<S extends RecordSchema>(schema: S): (input: unknown) => Validation<z.infer<S>> {
  const fields = new Map(fieldsOf(schema).map((f) => [f.key, f]));
  return (input) => {
    const result = schema.safeParse(input);
    if (result.success) return { ok: true, record: result.data };
    return { ok: false, problems: problemsOf(result.error.issues, input, fields) };
  };
}

/** Validates one event record against the event schema. */
export const validate: (input: unknown) => Validation<EventRecord> = createValidator(eventRecordSchema);

/** `field: reason` lines, as the CLIs print them. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.path}: ${p.reason}`).join('; ');
}
