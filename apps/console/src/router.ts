/** The console's addresses live in the hash (`#/bucket?prefix=…`), so the lake serves one page and links still work. */

export const VIEWS = ['pipeline', 'bucket', 'catalog', 'sql'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const name = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const view = (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : 'pipeline';
  return { view, params };
}

export function href(view: ViewName, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}
