import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHosts, refusalOf } from './security';

const hosts = allowedHosts(4568);
const self = 'http://127.0.0.1:4568';
const json = { 'content-type': 'application/json', origin: self };

/** Each attempt on the console, and what it gets: a status, or through (undefined). */
const CASES: Array<[string, { method?: string; path?: string; headers: IncomingHttpHeaders }, number | undefined]> = [
  ['the page, by address', { headers: { host: '127.0.0.1:4568' } }, undefined],
  ['the page, by name', { headers: { host: 'localhost:4568' } }, undefined],
  ['the page, name in capitals', { headers: { host: 'LOCALHOST:4568' } }, undefined],
  ['a DNS-rebinding page naming its own host', { headers: { host: 'evil.example:4568' } }, 421],
  ['a Host without the port', { headers: { host: '127.0.0.1' } }, 421],
  ['another port', { headers: { host: '127.0.0.1:4567' } }, 421],
  ['IPv6 loopback (not listened on)', { headers: { host: '[::1]:4568' } }, 421],
  ['no Host at all (HTTP/1.0)', { headers: {} }, 421],
  ['an API read from the page', { path: '/api/bucket', headers: { host: '127.0.0.1:4568', 'sec-fetch-site': 'same-origin' } }, undefined],
  ['an API read typed in the address bar', { path: '/api/info', headers: { host: '127.0.0.1:4568', 'sec-fetch-site': 'none' } }, undefined],
  ['an API read by curl', { path: '/api/info', headers: { host: '127.0.0.1:4568' } }, undefined],
  ['an API read from another site', { path: '/api/info', headers: { host: '127.0.0.1:4568', 'sec-fetch-site': 'cross-site' } }, 403],
  ['an API read from another port of this machine', { path: '/api/info', headers: { host: '127.0.0.1:4568', 'sec-fetch-site': 'same-site' } }, 403],
  ['a read with a foreign Origin', { path: '/api/events', headers: { host: '127.0.0.1:4568', origin: 'http://evil.example' } }, 403],
  ['a query from the page', { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json } }, undefined],
  [
    'a query from localhost while the Host is 127.0.0.1',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, origin: 'http://localhost:4568' } },
    403,
  ],
  [
    'a query with Origin null (sandboxed frame, file://)',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, origin: 'null' } },
    403,
  ],
  [
    'a query without Origin (curl, a script)',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', 'content-type': 'application/json' } },
    403,
  ],
  [
    'a query as text/plain (a simple cross-site POST)',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, 'content-type': 'text/plain' } },
    415,
  ],
  [
    'a query as a form',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, 'content-type': 'application/x-www-form-urlencoded' } },
    415,
  ],
  [
    'JSON with a charset',
    { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, 'content-type': 'application/json; charset=utf-8' } },
    undefined,
  ],
  ['a 2 MiB body', { method: 'POST', path: '/api/query', headers: { host: '127.0.0.1:4568', ...json, 'content-length': String(2 * 1024 * 1024) } }, 413],
  ['a CORS preflight', { method: 'OPTIONS', path: '/api/query', headers: { host: '127.0.0.1:4568', origin: 'http://evil.example' } }, 405],
  ['a PUT', { method: 'PUT', path: '/api/query', headers: { host: '127.0.0.1:4568', origin: self } }, 405],
  ['a DELETE', { method: 'DELETE', path: '/', headers: { host: '127.0.0.1:4568' } }, 405],
];

describe('refusalOf: what the console refuses before any handler runs', () => {
  it.each(CASES)('%s', (_, request, status) => {
    const refusal = refusalOf({ method: request.method ?? 'GET', path: request.path ?? '/', headers: request.headers }, hosts);
    expect(refusal?.status).toBe(status);
    if (refusal) expect(refusal.reason).toMatch(/^[^\n]+$/);
  });

  it('names the Host it did not know, so the user sees which address to use', () => {
    expect(refusalOf({ method: 'GET', path: '/', headers: { host: 'evil.example:4568' } }, hosts)?.reason).toBe(
      'unknown host evil.example:4568: open the console at the address lakehouse printed',
    );
  });
});
