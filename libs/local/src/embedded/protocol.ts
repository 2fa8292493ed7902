/** What a delivery reports: the objects it wrote and the records in them (the embedded lake's drain, `flush`, `stop`). */

/** One object the local delivery wrote. */
export interface DeliveredObject {
  /** The S3 key, as Firehose would have written it. */
  key: string;
  /** The file on disk. */
  path: string;
  records: number;
  bytes: number;
  kind: 'data' | 'error';
}

/** What the delivery did, as `flush`, `stop` and the embedded lake's drain report it. */
export interface DeliveryReport {
  bucketDir: string;
  catalogFile: string;
  recordsDelivered: number;
  recordsFailed: number;
  objects: DeliveredObject[];
}

/** Why an error object's records failed, from Firehose's error output type (the folder after errors/). */
const FAILED_AS: Readonly<Record<string, string>> = {
  'format-conversion-failed': 'failed conversion',
  'partitioning-failed': 'failed partitioning (no event-time keys)',
  activePartitionExceeded: 'went past the active-partition limit',
};

/** What happened to an error object's records, in words: "failed conversion", … */
export function failedAs(object: Pick<DeliveredObject, 'key'>): string {
  return FAILED_AS[object.key.split('/')[1] ?? ''] ?? 'failed';
}
