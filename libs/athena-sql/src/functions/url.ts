import { is, same, type ChapterTable } from './table';

/** Java's URLEncoder (application/x-www-form-urlencoded), which Trino's url_encode is. */
const formEncode = (value: string) =>
  encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');

/** java.net.URI's parts, which Trino's functions give: '' for a part a URL lacks, NULL for a string that is no URI. */
const URL = "'https://user@example.com:8080/path/to/a.html?q=1&r=two%20words&q=3#frag'";

export const URL_FUNCTIONS: ChapterTable = {
  chapter: 'URL',
  rows: [
    same('url_extract_fragment', [
      is(`url_extract_fragment(${URL})`, 'frag'),
      is("url_extract_fragment('http://example.com/')", ''),
      is("url_extract_fragment('http://a b/')", null),
    ]),
    same('url_extract_host', [is(`url_extract_host(${URL})`, 'example.com'), is("url_extract_host('http://127.0.0.1:8080/req_path')", '127.0.0.1')]),
    same('url_extract_parameter', [
      is(`url_extract_parameter(${URL}, 'q')`, '1'),
      is(`url_extract_parameter(${URL}, 'r')`, 'two words'),
      is(`url_extract_parameter(${URL}, 'x')`, null),
    ]),
    same('url_extract_path', [
      is(`url_extract_path(${URL})`, '/path/to/a.html'),
      is("url_extract_path('http://example.com')", ''),
      is("url_extract_path('http://example.com/a%20b')", '/a b'),
    ]),
    same('url_extract_port', [is(`url_extract_port(${URL})`, '8080', 'bigint'), is("url_extract_port('http://example.com/')", null)]),
    same('url_extract_protocol', [
      is("url_extract_protocol('http://localhost:8080/req_path')", 'http'),
      is("url_extract_protocol('https://127.0.0.1:8080/req_path')", 'https'),
      is("url_extract_protocol('ftp://path/file')", 'ftp'),
    ]),
    same('url_extract_query', [is(`url_extract_query(${URL})`, 'q=1&r=two words&q=3'), is("url_extract_query('http://example.com/')", '')]),
    same('url_encode', [is("url_encode('a b&c=d/é*~.-_')", formEncode('a b&c=d/é*~.-_'))]),
    same('url_decode', [is("url_decode('a%20b+c%2Bd%C3%A9')", 'a b c+dé'), is(`url_decode(url_encode('x y/z'))`, 'x y/z')]),
  ],
};
