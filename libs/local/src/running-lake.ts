import { readFile } from 'node:fs/promises';
import { isAlive } from './processes';

/** What a running `lake:up` writes to its data folder (`lakehouse.json`) so that producers find it. */
export interface RunningLake {
  pid: number;
  /** The Kinesis endpoint, `http://127.0.0.1:4567`. */
  endpoint: string;
  environment: string;
  streamName: string;
  startedAt: string;
  /** The stream is kept on disk (`--persist`): what the lake had not delivered when it died is delivered at its next start. */
  persist?: boolean;
  /** Each shard's last delivered sequence number, rewritten after each delivery: what a lake killed had delivered. */
  delivered?: Record<string, string>;
}

const FIELDS = { pid: 'number', endpoint: 'string', environment: 'string', streamName: 'string', startedAt: 'string' } as const;

/** The file's content if it is one (every field of the right type); undefined otherwise. */
export function parseRunningLake(json: unknown): RunningLake | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  return Object.entries(FIELDS).every(([field, type]) => typeof record[field] === type) ? (record as unknown as RunningLake) : undefined;
}

/** The lake:up registered in `file` whatever its state: undefined when there is no file or it isn't one. */
export async function readRunningLake(file: string): Promise<RunningLake | undefined> {
  try {
    return parseRunningLake(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** The lake:up registered in `file`, if its process is alive: a stale file (a killed lake:up) means none. */
export async function findRunningLake(file: string): Promise<RunningLake | undefined> {
  const lake = await readRunningLake(file);
  return lake && isAlive(lake.pid) ? lake : undefined;
}
