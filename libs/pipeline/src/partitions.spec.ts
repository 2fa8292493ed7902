import { describe, expect, it } from 'vitest';
import { hivePrefix, PARTITIONINGS, partitionKeyQuery, projectionLocationTail, TIME_PARTITIONS, type TimePartition } from './partitions';

// The query is evaluated by a real jq in libs/local's delivery; here its shape is pinned, so a change is deliberate.
describe('partitionKeyQuery: the JQ 1.6 query of Firehose’s MetadataExtraction', () => {
  const query = partitionKeyQuery();

  it('is pinned', () => {
    expect(query).toBe(
      '.event_date | if type == "string"' +
        ' and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-5][0-9]:[0-5][0-9]([.][0-9]{1,9})?Z$") and .[-1:] == "Z"' +
        ' and (.[0:4]|tonumber|. >= 2025 and . <= 2035) and (.[5:7]|tonumber|. >= 1 and . <= 12)' +
        ' and (.[8:10]|tonumber|. >= 1 and . <= 31) and (.[11:13]|tonumber|. >= 0 and . <= 23)' +
        ' then {year: .[0:4], month: .[5:7], day: .[8:10], hour: .[11:13]}' +
        ' else error("event_date: expected an ISO 8601 UTC timestamp such as 2026-11-20T23:59:59.123Z with year 2025 to 2035") end',
    );
  });

  it('yields one key per time partition, named as the prefix names them, in the same order', () => {
    const keys = [...query.matchAll(/(\w+): \.\[\d+:\d+\]/g)].map((m) => m[1]);
    expect(keys).toEqual(TIME_PARTITIONS.map((p) => p.name));
    expect([...hivePrefix('event-time').matchAll(/partitionKeyFromQuery:(\w+)/g)].map((m) => m[1])).toEqual(keys);
  });

  it('slices each key out of a toISOString() value where that value has it', () => {
    const iso = '2026-11-20T23:59:59.123Z';
    const sliced = Object.fromEntries(TIME_PARTITIONS.map((p) => [p.name, iso.slice(...p.eventTimeSlice)]));
    expect(sliced).toEqual({ year: '2026', month: '11', day: '20', hour: '23' });
    // The keys are the folder names' zero-padded digits, as !{timestamp:…} writes them for arrival time.
    for (const p of TIME_PARTITIONS) expect(p.eventTimeSlice[1] - p.eventTimeSlice[0]).toBe(p.digits);
  });

  it('checks every key against its projection range, so no record lands in a folder Athena never reads', () => {
    for (const p of TIME_PARTITIONS) {
      expect(query).toContain(`(.[${p.eventTimeSlice[0]}:${p.eventTimeSlice[1]}]|tonumber|. >= ${p.range[0]} and . <= ${p.range[1]})`);
    }
  });

  it('needs no backslash, so JSON, HCL and JQ escaping can’t disagree about it', () => {
    expect(query).not.toContain('\\');
  });

  it('fits a processor parameter: 5,120 characters in the Firehose API reference, 512 in older versions of it', () => {
    expect(query.length).toBeLessThanOrEqual(512);
  });

  it('follows the partitions it is given', () => {
    const years: TimePartition[] = [{ name: 'y', pattern: 'yyyy', range: [2000, 2099], digits: 4, eventTimeSlice: [0, 4] }];
    expect(partitionKeyQuery(years)).toContain(
      'then {y: .[0:4]} else error("event_date: expected an ISO 8601 UTC timestamp such as 2026-11-20T23:59:59.123Z with y 2000 to 2099")',
    );
  });
});

describe('hivePrefix', () => {
  it.each([
    ['arrival', 'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/'],
    [
      'event-time',
      'year=!{partitionKeyFromQuery:year}/month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}/hour=!{partitionKeyFromQuery:hour}/',
    ],
  ] as const)('%s', (partitioning, prefix) => {
    expect(hivePrefix(partitioning)).toBe(prefix);
  });

  it('names the same folders as the projection template in both modes', () => {
    const folders = (path: string) =>
      path
        .split('/')
        .filter(Boolean)
        .map((f) => f.split('=')[0]);
    for (const partitioning of PARTITIONINGS) expect(folders(hivePrefix(partitioning))).toEqual(folders(projectionLocationTail()));
  });
});
