/**
 * A read-only table that stays fast at 100,000 rows: only the rows in view (plus a margin) exist in the DOM, reused
 * as the user scrolls (`visibleWindow`). Styles go through classes, custom properties and the CSSOM only.
 */
import { isNumericType, type QueryResult } from '@lakehouse/console-api';
import { visibleWindow } from './virtual';

export const ROW_HEIGHT = 26;
const NUMBER_COLUMN = 64;

/** Pixel widths from the header and the first rows' text: readable without measuring the DOM. */
export function columnWidths(columns: QueryResult['columns'], rows: QueryResult['rows'], sample = 200): number[] {
  return columns.map((c, i) => {
    let chars = c.name.length + 2;
    for (let r = 0; r < Math.min(rows.length, sample); r++) chars = Math.max(chars, (rows[r]?.[i] ?? 'NULL').length);
    return Math.min(420, Math.max(isNumericType(c.type) ? 70 : 90, Math.ceil(chars * 7.6) + 18));
  });
}

export class VirtualTable {
  private readonly scroller: HTMLDivElement;
  private readonly head = document.createElement('div');
  private readonly sizer = document.createElement('div');
  private readonly body = document.createElement('div');
  private columns: QueryResult['columns'] = [];
  private rows: QueryResult['rows'] = [];
  private pool: HTMLDivElement[] = [];
  private first = -1;
  private frame = 0;

  constructor(private readonly host: HTMLElement) {
    host.classList.add('vt');
    this.scroller = document.createElement('div');
    this.scroller.className = 'vt-scroll';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'table');
    this.head.className = 'vt-row vt-head';
    this.head.setAttribute('role', 'row');
    this.sizer.className = 'vt-sizer';
    this.body.className = 'vt-body';
    this.body.setAttribute('role', 'rowgroup');
    this.sizer.append(this.body);
    this.scroller.append(this.head, this.sizer);
    host.append(this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule(true)).observe(this.scroller);
  }

  setData(columns: QueryResult['columns'], rows: QueryResult['rows'], label = 'Query result'): void {
    this.columns = columns;
    this.rows = rows;
    this.scroller.setAttribute('aria-label', label);
    this.scroller.setAttribute('aria-rowcount', String(rows.length + 1));
    const widths = columnWidths(columns, rows);
    const template = [NUMBER_COLUMN, ...widths].map((w) => `${w}px`).join(' ');
    this.host.style.setProperty('--vt-columns', template);
    this.host.style.setProperty('--vt-width', `${NUMBER_COLUMN + widths.reduce((a, b) => a + b, 0)}px`);
    this.head.replaceChildren(this.cell('#', 'vt-cell vt-index', 'columnheader'));
    for (const c of columns) {
      const el = this.cell(c.name, `vt-cell${isNumericType(c.type) ? ' vt-num' : ''}`, 'columnheader');
      el.title = `${c.name}: ${c.type}`;
      this.head.append(el);
    }
    for (const row of this.pool) row.remove();
    this.pool = [];
    this.sizer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.scroller.scrollTop = 0;
    this.scroller.scrollLeft = 0;
    this.schedule(true);
  }

  /** Rows now in the DOM (the tests of the real page count them). */
  get renderedRows(): number {
    return this.pool.filter((r) => !r.hidden).length;
  }

  private cell(text: string, className: string, role: string): HTMLDivElement {
    const el = document.createElement('div');
    el.className = className;
    el.setAttribute('role', role);
    el.textContent = text;
    return el;
  }

  private schedule(force = false): void {
    if (force) this.first = -1;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const headHeight = this.head.offsetHeight;
    const viewport = this.scroller.clientHeight - headHeight;
    const win = visibleWindow(this.scroller.scrollTop, viewport, ROW_HEIGHT, this.rows.length);
    if (win.first === this.first && this.pool.length >= win.count) return;
    this.first = win.first;
    while (this.pool.length < win.count) this.pool.push(this.newRow());
    this.pool.forEach((row, i) => this.fill(row, i < win.count ? win.first + i : -1));
    this.body.style.transform = `translateY(${win.offset}px)`;
  }

  private newRow(): HTMLDivElement {
    const row = document.createElement('div');
    row.className = 'vt-row';
    row.setAttribute('role', 'row');
    row.append(this.cell('', 'vt-cell vt-index', 'rowheader'));
    for (const c of this.columns) row.append(this.cell('', `vt-cell${isNumericType(c.type) ? ' vt-num' : ''}`, 'cell'));
    this.body.append(row);
    return row;
  }

  private fill(row: HTMLDivElement, index: number): void {
    const data = this.rows[index];
    row.hidden = data === undefined;
    if (!data) return;
    row.setAttribute('aria-rowindex', String(index + 2));
    row.classList.toggle('vt-odd', index % 2 === 1);
    const cells = row.children;
    (cells[0] as HTMLElement).textContent = String(index + 1);
    for (let j = 0; j < this.columns.length; j++) {
      const cell = cells[j + 1] as HTMLElement;
      const v = data[j] ?? null;
      cell.textContent = v === null ? 'NULL' : v;
      cell.classList.toggle('vt-null', v === null);
    }
  }
}
