declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    path?: string;
    ssl?: boolean;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
  }

  /** An HTTP server speaking the Kinesis API; in memory unless `path` is set. */
  export default function kinesalite(options?: KinesaliteOptions): Server;
}
