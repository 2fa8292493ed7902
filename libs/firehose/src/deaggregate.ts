import { CONVERSION_ERROR_CODES, type ConversionErrorCode } from './openx';
import { fromBase64 } from './bytes';

/**
 * KPL de-aggregation, as Firehose applies it to a Kinesis stream source: a record in the KPL aggregated format
 * (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md) holds many user records,
 * each converted on its own; any other record is converted as it is.
 *
 * A record that starts with the format's magic but is not a valid aggregate (bad MD5 checksum, truncated or
 * malformed protobuf) is not de-aggregated: AWS's own de-aggregator (the KCL's AggregatorUtil) passes it through
 * whole, so Firehose hands its bytes to the OpenX SerDe, which cannot parse them. Firehose documents no error code
 * of its own for this; the record goes to the error output as `DataFormatConversion.ParseError`, with its raw bytes.
 */

/** The four bytes every KPL aggregated record starts with. */
export const KPL_MAGIC: readonly number[] = [0xf3, 0x89, 0x9a, 0xc2];

/** The MD5 of the protobuf message that ends an aggregated record. */
const DIGEST_BYTES = 16;

/** One user record of an aggregate. */
export interface UserRecord {
  data: Uint8Array;
  partitionKey: string;
  /** Its index in the aggregate, as error records name it. */
  subSequenceNumber: number;
}

export type Deaggregation =
  /** Not in the aggregated format: convert the record as it is. */
  | { kind: 'plain' }
  | { kind: 'aggregated'; records: UserRecord[] }
  /** The aggregated format's magic, but not a valid aggregate: the whole record goes to the error output. */
  | { kind: 'corrupt'; errorCode: ConversionErrorCode; errorMessage: string };

export type Deaggregator = (data: Uint8Array) => Deaggregation;

/** Whether a record starts with the KPL magic: only those are worth loading the de-aggregation library for. */
export function hasKplMagic(data: Uint8Array): boolean {
  return data.byteLength >= KPL_MAGIC.length && KPL_MAGIC.every((byte, i) => data[i] === byte);
}

/** What this module uses of aws-kinesis-agg (its own typings import aws-sdk v2 and aws-lambda types). */
interface KplLibrary {
  deaggregateSync(
    record: { PartitionKey: string; SequenceNumber: string; Data: Uint8Array },
    computeChecksums: boolean,
    callback: (error: Error | null | undefined, records?: Array<{ PartitionKey?: string; Data?: string }>) => void,
  ): void;
}

const corrupt = (why: string): Deaggregation => ({
  kind: 'corrupt',
  errorCode: CONVERSION_ERROR_CODES.parseError,
  errorMessage: `Encountered malformed JSON. The record starts with the KPL aggregation magic but is not a valid aggregate (${why}), so it was not de-aggregated.`,
});

/** De-aggregates with the library, which is loaded already; never throws. */
function deaggregateWith(library: KplLibrary, data: Uint8Array): Deaggregation {
  if (!hasKplMagic(data)) return { kind: 'plain' };
  if (data.byteLength <= KPL_MAGIC.length + DIGEST_BYTES) return corrupt('too short to hold a checksum');
  let outcome: Deaggregation = corrupt('no answer from the de-aggregator');
  try {
    // The callback must not throw (the library would call it a second time): it only records the outcome.
    library.deaggregateSync({ PartitionKey: '', SequenceNumber: '', Data: data }, true, (error, records = []) => {
      if (error) {
        outcome = corrupt(/checksum/i.test(error.message) ? 'its MD5 checksum does not match' : `malformed protobuf: ${error.message}`);
        return;
      }
      const users: UserRecord[] = [];
      for (const [subSequenceNumber, r] of records.entries()) {
        if (r.PartitionKey === undefined || r.Data === undefined) {
          outcome = corrupt(`user record ${subSequenceNumber} has no partition key or data`);
          return;
        }
        users.push({ data: fromBase64(r.Data), partitionKey: r.PartitionKey, subSequenceNumber });
      }
      outcome = { kind: 'aggregated', records: users };
    });
  } catch (error) {
    return corrupt(`malformed protobuf: ${(error as Error).message}`);
  }
  return outcome;
}

/**
 * The de-aggregator. Its library (aws-kinesis-agg, with protobufjs) takes 50–70 ms to load, so callers load it when
 * a record has the KPL magic (`hasKplMagic`), and keep it.
 */
export async function loadDeaggregator(): Promise<Deaggregator> {
  const module = await import('aws-kinesis-agg');
  const library = ((module as { default?: unknown }).default ?? module) as KplLibrary;
  return (data) => deaggregateWith(library, data);
}
