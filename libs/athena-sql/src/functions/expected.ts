/**
 * Answers computed the way Trino's documentation defines them, in plain TypeScript, for the checks whose input has
 * no documented example: the tables' expected values never come from running DuckDB.
 */

/** American Soundex (the letter, then the codes of consonants; H and W do not separate equal codes). */
export function soundex(word: string): string {
  const codes: Record<string, string> = {
    B: '1',
    F: '1',
    P: '1',
    V: '1',
    C: '2',
    G: '2',
    J: '2',
    K: '2',
    Q: '2',
    S: '2',
    X: '2',
    Z: '2',
    D: '3',
    T: '3',
    L: '4',
    M: '5',
    N: '5',
    R: '6',
  };
  const letters = word.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters === '') return '';
  let out = letters[0] ?? '';
  let last = codes[out] ?? '';
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? '';
    if (code !== '' && code !== last) out += code;
    if (letter !== 'H' && letter !== 'W') last = code;
  }
  return out.padEnd(4, '0').slice(0, 4);
}

/** The Luhn check of a string of digits. */
export function luhn(digits: string): boolean {
  const sum = [...digits].reverse().reduce((total, char, i) => {
    const d = Number(char) * (i % 2 === 1 ? 2 : 1);
    return total + (d > 9 ? d - 9 : d);
  }, 0);
  return sum % 10 === 0;
}

/** Bytes as Athena prints a varbinary: two hex digits each, separated by spaces. */
export const hexBytes = (bytes: Iterable<number>) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The UTF-8 bytes of a string. */
export const utf8 = (text: string) => new TextEncoder().encode(text);

/** Java's String.hashCode-free CRC-32 (IEEE 802.3), of bytes. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A JavaScript value as Athena prints an array of it: `[a, b]`. */
export const arrayOf = (items: ReadonlyArray<string | number | null>) => `[${items.map((v) => (v === null ? 'NULL' : String(v))).join(', ')}]`;

/**
 * Whole months from a to b (ISO dates), as Trino counts them (Joda's month field): the months between, less one when
 * b's day of the month comes before a's; a day past the end of b's month counts as its last day.
 */
export function monthsBetween(a: string, b: string): number {
  if (a > b) return -monthsBetween(b, a);
  const [ay, am, ad] = a.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  const lastOfB = new Date(Date.UTC(by, bm, 0)).getUTCDate();
  const startDay = bd === lastOfB && ad > bd ? bd : ad;
  return (by - ay) * 12 + (bm - am) - (bd < startDay ? 1 : 0);
}
