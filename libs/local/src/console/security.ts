import type { IncomingHttpHeaders } from 'node:http';

/**
 * What keeps the console a page for this machine's user only. It listens on 127.0.0.1, but any web page the user
 * opens could still make their browser call it: so the Host must name this server (a DNS-rebinding page names its
 * own), requests from another origin are refused before any handler runs (no CORS, ever), and a POST must carry
 * our Origin and JSON (which a foreign page can only send after a preflight, refused here).
 */

/** Headers on every response. */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=()',
} as const;

/** The page's policy: its own scripts only, styles only its own or with this load's nonce, no framing, no forms. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Everything that is not the page: nothing may run in it. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The largest request body read: an SQL query fits many times over. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Refusal {
  status: 403 | 405 | 413 | 415 | 421;
  reason: string;
}

/** The Host values this server answers to, on its port. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Why a request is refused before any handler sees it; undefined when it may go on. */
export function refusalOf(request: { method: string; path: string; headers: IncomingHttpHeaders }, hosts: ReadonlySet<string>): Refusal | undefined {
  const { method, path, headers } = request;
  const host = headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host))
    return { status: 421, reason: `unknown host ${host ?? '(none)'}: open the console at the address lakehouse printed` };
  const self = `http://${host}`;
  const { origin } = headers;
  const site = headers['sec-fetch-site'];
  if (method === 'OPTIONS') return { status: 405, reason: 'this server answers no cross-origin requests' };
  if (origin !== undefined && origin !== self) return { status: 403, reason: `requests from ${origin} are refused` };
  if (path.startsWith('/api/') && site !== undefined && site !== 'same-origin' && site !== 'none')
    return { status: 403, reason: `requests from another site (${site}) are refused` };
  if (method === 'POST') {
    if (origin !== self) return { status: 403, reason: 'a POST must come from the console page (Origin header)' };
    const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, reason: `a POST must send application/json, not ${type ?? 'nothing'}` };
    if (Number(headers['content-length'] ?? 0) > MAX_BODY_BYTES) return { status: 413, reason: `the body is over ${MAX_BODY_BYTES} bytes` };
    return undefined;
  }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: `${method} is not served here` };
  return undefined;
}

/** A body over MAX_BODY_BYTES that came without a Content-Length (chunked): found while reading, answered 413 too. */
export class BodyTooLarge extends Error {
  constructor() {
    super(`the body is over ${MAX_BODY_BYTES} bytes`);
  }
}

/**
 * An error's text as a response may carry it: paths in the lake relative to its folder, and any other absolute
 * path left out, so no answer tells a page where the lake is or names a file outside it.
 */
export function withoutAbsolutePaths(message: string, lakeDir: string): string {
  const lake = lakeDir.replace(/\/$/, '');
  return message
    .split(`${lake}/`)
    .join('')
    .replace(/(^|[\s'"(=[,])\/(?=[\w.~-])[^\s'"),\]]*/g, '$1(a path)');
}
