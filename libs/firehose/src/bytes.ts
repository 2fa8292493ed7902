/**
 * Bytes as Base64 text and back, with what every JavaScript runtime has (`btoa`/`atob`), so that the pure libraries
 * run in Node, in the browser and in tests alike (Buffer is Node's only).
 */

/** Base64 of bytes, as Firehose writes `rawData` in error records. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // A chunk at a time: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.byteLength; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of Base64 text; throws on text that is not Base64. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
