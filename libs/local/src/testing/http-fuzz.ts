import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { seededRandom } from '@lakehouse/runtime';

/**
 * A small seeded fuzzer for the lake's HTTP servers (the console, the Kinesis front): requests drawn from a fixed
 * seed, so a failure names the seed and the request number that reproduce it, sent one after another, each checked.
 */

/** Draws from one seeded generator. */
export class Draw {
  constructor(readonly random: () => number) {}

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)] as T;
  }

  /** Text of up to `max` characters from `alphabet` (printable ASCII by default). */
  text(max: number, alphabet = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'): string {
    const characters = Array.from(alphabet); // by code point: an emoji is one character, not two halves
    return Array.from({ length: this.int(max + 1) }, () => characters[this.int(characters.length)]).join('');
  }

  bytes(max: number): Buffer {
    return Buffer.from(Array.from({ length: this.int(max + 1) }, () => this.int(256)));
  }

  /** Any JSON value, nested up to `depth`. */
  json(depth = 3): unknown {
    const kind = this.int(depth > 0 ? 8 : 5);
    if (kind === 0) return null;
    if (kind === 1) return this.chance(0.5);
    if (kind === 2) return this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308]);
    if (kind === 3 || kind === 4) return this.text(20);
    if (kind === 5) return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
    return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.text(8), this.json(depth - 1)]));
  }
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Sent as written over a socket (malformed HTTP), instead of through Node's client. */
  raw?: Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const TIMEOUT_MS = 5_000;

/**
 * One request to 127.0.0.1:port; a raw one gets its status line parsed, or status 0 when the server just closes. A
 * well-formed one whose connection is reset before any answer (EPIPE, ECONNRESET: seen twice in some 5,000 on a loaded
 * machine) is sent once more, as any HTTP client retries it; a server that crashed fails the second time too.
 */
export async function send(port: number, fuzz: FuzzRequest): Promise<FuzzResponse> {
  if (fuzz.raw) return sendRaw(port, fuzz.raw);
  try {
    return await sendOnce(port, fuzz);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'EPIPE' && code !== 'ECONNRESET') throw error;
    return sendOnce(port, fuzz);
  }
}

function sendOnce(port: number, fuzz: FuzzRequest): Promise<FuzzResponse> {
  // Node's client sends a GET's or HEAD's body with no length at all (malformed HTTP): give it one. Malformed
  // requests are the raw ones' part.
  const framed = Object.keys(fuzz.headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
  const headers = fuzz.body === undefined || framed ? fuzz.headers : { ...fuzz.headers, 'content-length': String(Buffer.byteLength(fuzz.body)) };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: fuzz.method, path: fuzz.path, headers, agent: false, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

function sendRaw(port: number, bytes: Buffer): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is enough: the status line and headers, then whatever body came with them.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? socket.destroy() : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const [, body = ''] = text.split('\r\n\r\n');
      resolve({ status, headers: {}, body });
    });
    socket.end(bytes);
  });
}

export interface FuzzRun {
  port: number;
  seed: number;
  count: number;
  /** Draws the i-th request. */
  make: (draw: Draw, i: number) => FuzzRequest;
  /** Throws (an assertion) when an answer is wrong. */
  check: (response: FuzzResponse, request: FuzzRequest) => void;
}

/** Runs the requests one by one; the first wrong answer fails the run, naming the seed, the number and the request. */
export async function fuzzHttp(run: FuzzRun): Promise<Map<number, number>> {
  const draw = new Draw(seededRandom(run.seed));
  const statuses = new Map<number, number>();
  for (let i = 0; i < run.count; i++) {
    const fuzz = run.make(draw, i);
    const shown = () =>
      `seed ${run.seed}, request ${i}: ${fuzz.raw ? JSON.stringify(fuzz.raw.toString('latin1').slice(0, 200)) : `${fuzz.method} ${fuzz.path.slice(0, 200)} ${JSON.stringify(fuzz.headers)}`}`;
    let response: FuzzResponse;
    try {
      response = await send(run.port, fuzz);
    } catch (error) {
      throw new Error(`${shown()}: ${(error as Error).message}`, { cause: error });
    }
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    try {
      run.check(response, fuzz);
    } catch (error) {
      throw new Error(`${shown()}: ${(error as Error).message}`, { cause: error });
    }
  }
  return statuses;
}
