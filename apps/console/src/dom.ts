/**
 * Building DOM without HTML strings: text goes in as text (never parsed), and there is deliberately no way to set a
 * `style` attribute (the CSP refuses them); dynamic styles go through the CSSOM (`el.style.x = …`).
 */
type Child = Node | string | number | null | undefined | false;
type Props = {
  class?: string;
  text?: string;
  /** Attributes: `href`, `title`, `aria-*`, `data-*`, `role`, … (`style` is refused). */
  [attribute: string]: string | number | boolean | undefined | null | EventListener;
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style') throw new Error('style attributes break the CSP: use el.style');
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

/** A notice in place of content: an empty state, a failure, or "loading". */
export function notice(kind: 'empty' | 'error' | 'loading' | 'info', title: string, ...detail: Child[]): HTMLElement {
  return h(
    'div',
    { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('p', { class: 'notice-title', text: title }),
    detail.length ? h('div', { class: 'notice-detail' }, ...detail) : null,
  );
}

/** A `<table>` from rows of cells: header row first. */
export function simpleTable(head: string[], rows: Child[][], className = 'grid'): HTMLTableElement {
  return h(
    'table',
    { class: className },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))),
  );
}

export const code = (text: string, className = ''): HTMLElement => h('code', { class: className || undefined, text });

/** Labelled values side by side: `<dl>` of term and value pairs. */
export function summaryList(pairs: Array<[string, Child]>, className = 'summary'): HTMLElement {
  return h('dl', { class: className }, ...pairs.map(([term, value]) => h('div', {}, h('dt', { text: term }), h('dd', {}, value))));
}
