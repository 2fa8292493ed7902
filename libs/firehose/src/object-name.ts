import { compileTimestampPattern } from './timestamp-pattern';

/** The time in an object's name: the same instant as its prefix, to the second, in UTC. */
export const OBJECT_NAME_TIME_PATTERN = 'yyyy-MM-dd-HH-mm-ss';

/**
 * A delivery stream's version starts at 1 and grows with every configuration change on AWS;
 * the local delivery stream is created fresh from the settings, so it is always version 1.
 */
export const LOCAL_DELIVERY_STREAM_VERSION = 1;

const formatNameTime = compileTimestampPattern(OBJECT_NAME_TIME_PATTERN);

export interface ObjectNameParts {
  deliveryStreamName: string;
  version: number;
  /** Approximate arrival (epoch ms) of the oldest record in the object. */
  arrivalMillis: number;
  /** A random UUID: it makes every object name unique. */
  uuid: string;
  /** Firehose's file extension, e.g. `.parquet`; error objects have none. */
  extension?: string;
}

/** `<DeliveryStreamName>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>` */
export function objectName(parts: ObjectNameParts): string {
  return `${parts.deliveryStreamName}-${parts.version}-${formatNameTime(parts.arrivalMillis)}-${parts.uuid}${parts.extension ?? ''}`;
}

const NAME_TAIL = /^-(\d+)-(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.[^/]*)?$/;

/** Reads an object name back into its parts; undefined when it isn't one of this delivery stream's names. */
export function parseObjectName(name: string, deliveryStreamName: string): { version: number; time: string; uuid: string; extension: string } | undefined {
  if (!name.startsWith(deliveryStreamName)) return undefined;
  const match = NAME_TAIL.exec(name.slice(deliveryStreamName.length));
  if (!match) return undefined;
  const [, version = '', time = '', uuid = '', extension = ''] = match;
  return { version: Number(version), time, uuid, extension };
}
