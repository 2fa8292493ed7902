import { z } from 'zod';

export const EVENT_STATUSES = ['Active', 'Inactive', 'Canceled'] as const;

export const PHONE_MIN = 900_000_000;
export const PHONE_MAX = 999_999_999;

/**
 * One event record: the single source of truth for the Glue table, the Parquet
 * columns and the producer's validation. Descriptions become Glue column comments.
 */
export const eventRecordSchema = z.strictObject({
  uuid: z.uuid().describe('Unique id of the event (UUID)'),
  // UTC with a Z, as toISOString() gives: Firehose's OpenX SerDe can't read a local time with no zone.
  event_date: z.iso.datetime().describe('When the event happened, ISO 8601 in UTC'),
  status: z.enum(EVENT_STATUSES).describe('Status of the account after the event'),
  name: z.string().min(1).describe('First name'),
  last_name: z.string().min(1).describe('Last name'),
  email: z.email().describe('Email address'),
  phone: z.int().min(PHONE_MIN).max(PHONE_MAX).describe('Phone number, 9 digits starting with 9'),
});

export type EventRecord = z.infer<typeof eventRecordSchema>;

/** Any strict object schema of flat fields: the derivations accept the event schema or an extension of it. */
export type RecordSchema = z.ZodObject;
