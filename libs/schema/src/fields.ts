import { z } from 'zod';
import type { RecordSchema } from './event-record';

/** The column kinds this kit can carry from JSON through Parquet to Glue/Athena. */
export type ColumnKind = 'string' | 'timestamp' | 'date' | 'bigint' | 'double' | 'boolean';

/** One JSON Schema property, as z.toJSONSchema() writes it for a flat field. */
export interface JsonSchemaProperty {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
  anyOf?: JsonSchemaProperty[];
}

/** A field of the record schema with everything the derivations need. */
export interface FieldSpec {
  /** The key in the JSON record. */
  key: string;
  kind: ColumnKind;
  required: boolean;
  nullable: boolean;
  description: string | undefined;
  property: JsonSchemaProperty;
}

/**
 * JSON Schema type (and string format) -> column kind. One row per mapping;
 * anything not listed is refused rather than guessed.
 */
const KIND_BY_JSON_TYPE: ReadonlyArray<{ type: string; format?: string; kind: ColumnKind }> = [
  { type: 'string', format: 'date-time', kind: 'timestamp' },
  { type: 'string', format: 'date', kind: 'date' },
  { type: 'string', kind: 'string' },
  { type: 'integer', kind: 'bigint' },
  { type: 'number', kind: 'double' },
  { type: 'boolean', kind: 'boolean' },
];

export class UnmappableFieldError extends Error {
  constructor(key: string, reason: string) {
    super(`${key}: cannot derive a column: ${reason}`);
    this.name = 'UnmappableFieldError';
  }
}

function unwrapNullable(key: string, property: JsonSchemaProperty): { property: JsonSchemaProperty; nullable: boolean } {
  if (property.anyOf) {
    const nonNull = property.anyOf.filter((p) => p.type !== 'null');
    if (nonNull.length !== 1 || nonNull.length === property.anyOf.length) {
      throw new UnmappableFieldError(key, 'a union of several types has no single column type');
    }
    return { property: { ...nonNull[0], description: property.description ?? nonNull[0]?.description }, nullable: true };
  }
  if (Array.isArray(property.type)) {
    const types = property.type.filter((t) => t !== 'null');
    if (types.length !== 1) {
      throw new UnmappableFieldError(key, `types ${property.type.join('|')} have no single column type`);
    }
    return { property: { ...property, type: types[0] }, nullable: types.length !== property.type.length };
  }
  return { property, nullable: false };
}

export function columnKindOf(key: string, property: JsonSchemaProperty): ColumnKind {
  const type = property.type;
  if (type === undefined) {
    throw new UnmappableFieldError(key, 'its type has no JSON form; use z.iso.datetime() for times and z.int() for integers');
  }
  if (typeof type !== 'string') {
    throw new UnmappableFieldError(key, 'the JSON Schema has no single "type"');
  }
  const row = KIND_BY_JSON_TYPE.find((r) => r.type === type && (r.format === undefined || r.format === property.format));
  if (!row) {
    throw new UnmappableFieldError(key, `JSON Schema type "${type}" has no column type (nested objects and arrays are not supported)`);
  }
  return row.kind;
}

const fieldCache = new WeakMap<RecordSchema, readonly FieldSpec[]>();

/** The schema's fields in declaration order, derived through z.toJSONSchema(). */
export function fieldsOf(schema: RecordSchema): readonly FieldSpec[] {
  const cached = fieldCache.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  const fields = Object.entries(json.properties ?? {}).map(([key, raw]): FieldSpec => {
    const { property, nullable } = unwrapNullable(key, raw);
    return {
      key,
      kind: columnKindOf(key, property),
      required: required.has(key),
      nullable,
      description: property.description,
      property,
    };
  });
  fieldCache.set(schema, fields);
  return fields;
}
