/** Fixtures for other projects' tests (`@lakehouse/firehose/testing`): KPL aggregated records built by the library. */

/** What this module uses of aws-kinesis-agg's aggregator. */
interface RecordAggregatorLibrary {
  RecordAggregator: new () => { addUserRecord(record: { partitionKey: string; data: Buffer }): void; build(): { data: Buffer } };
}

/** A KPL aggregated record holding these user records, built by aws-kinesis-agg (the format's maintained library). */
export async function kplAggregate(records: ReadonlyArray<{ partitionKey: string; data: string | Uint8Array }>): Promise<Uint8Array> {
  const module = await import('aws-kinesis-agg');
  const library = ((module as { default?: unknown }).default ?? module) as RecordAggregatorLibrary;
  const aggregator = new library.RecordAggregator();
  for (const { partitionKey, data } of records) aggregator.addUserRecord({ partitionKey, data: Buffer.from(data) });
  return new Uint8Array(aggregator.build().data);
}
