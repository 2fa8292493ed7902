/** A result's values as a chart reads them (what kind of value a column holds: `columnKind` of @lakehouse/console-api). */

/**
 * A timestamp or date as Athena writes it (`2026-01-02 03:04:05.678`, `2026-01-02`, `… UTC` with a zone), in
 * epoch seconds; null when it isn't one. Athena's timestamps are UTC wall-clock.
 */
export function timeValue(text: string | null): number | null {
  if (text === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, day, clock, zone] = m;
  const fraction = clock?.replace(/(\.\d{3})\d+$/, '$1') ?? '00:00:00';
  const offset = !zone || zone === 'Z' || zone === 'UTC' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${day}T${fraction}${offset}`);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/** A numeric cell as a number (bigints past 2^53 lose precision, which a chart doesn't mind); null when not one. */
export function numberValue(text: string | null): number | null {
  if (text === null || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
