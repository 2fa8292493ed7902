/** Which rows of a long list exist in the DOM: those in view, plus `overscan` either side. */
export interface VirtualWindow {
  /** Index of the first row to render. */
  first: number;
  /** How many rows to render from `first`. */
  count: number;
  /** Pixels from the top of the list to the first rendered row. */
  offset: number;
}

export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 10): VirtualWindow {
  if (rowCount <= 0 || rowHeight <= 0) return { first: 0, count: 0, offset: 0 };
  const maxTop = Math.max(0, rowCount * rowHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const firstInView = Math.floor(top / rowHeight);
  const first = Math.max(0, firstInView - overscan);
  const inView = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const last = Math.min(rowCount, firstInView + inView + overscan);
  return { first, count: last - first, offset: first * rowHeight };
}
