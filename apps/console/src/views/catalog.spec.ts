import { describe, expect, it } from 'vitest';
import { crumbsOf } from './bucket';
import { partitioningSummary, splitParameters } from './catalog';

describe('the catalog’s parameters', () => {
  it('puts partition projection and the location template apart from the rest, each sorted', () => {
    const { projection, other } = splitParameters({
      classification: 'parquet',
      'projection.year.type': 'integer',
      EXTERNAL: 'TRUE',
      'projection.enabled': 'true',
      'storage.location.template': 's3://b/events/year=${year}/',
    });
    expect(projection.map(([k]) => k)).toEqual(['projection.enabled', 'projection.year.type', 'storage.location.template']);
    expect(other.map(([k]) => k)).toEqual(['classification', 'EXTERNAL']);
  });
});

describe('the bucket’s breadcrumbs', () => {
  it('gives each level its prefix', () => {
    expect(crumbsOf('events/year=2026/month=01/')).toEqual([
      { prefix: 'events/', label: 'events' },
      { prefix: 'events/year=2026/', label: 'year=2026' },
      { prefix: 'events/year=2026/month=01/', label: 'month=01' },
    ]);
    expect(crumbsOf('')).toEqual([]);
  });
});

describe('the catalog says which partitioning is in force', () => {
  it('event time: folders are each event’s hour', () => {
    expect(partitioningSummary({ mode: 'event-time', prefix: 'events/year=!{partitionKeyFromQuery:year}/', query: '.event_date' })).toMatch(
      /^Event time: each row lies in the folder of its own event_date hour/,
    );
  });

  it('arrival: folders are the hour records arrived', () => {
    expect(partitioningSummary({ mode: 'arrival', prefix: 'events/year=!{timestamp:yyyy}/' })).toMatch(/^Arrival time: .*oldest record arrived in Kinesis/);
  });
});
