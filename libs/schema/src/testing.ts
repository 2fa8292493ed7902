/** What tests of any project share: `@lakehouse/schema/testing`, kept out of the main entry. */
import type { z } from 'zod';
import type { eventRecordSchema } from './event-record';

/** A valid record (one the original walkthrough printed, in UTC): for docs, tests and examples. */
export const EXAMPLE_EVENT = Object.freeze({
  uuid: 'c4885146-33f7-481d-8cc6-e894b6f33d7f',
  event_date: '2022-02-02T15:17:07.618Z',
  status: 'Inactive',
  name: 'Alicia',
  last_name: 'Olson',
  email: 'rwright@example.net',
  phone: 910322509,
} as const satisfies z.input<typeof eventRecordSchema>);
