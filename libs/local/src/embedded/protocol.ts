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
