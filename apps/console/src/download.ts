/**
 * Downloads of a result. A page that holds every row writes its file itself, with `csvText`/`jsonText` of
 * `@lakehouse/console-api`, as `lakehouse query --csv / --json` and the lake's download do; a capped one asks the
 * lake for the whole result (`QueryRequest.format`).
 */
/** Hands a blob to the browser as a download (a blob: URL, so nothing goes over the network). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The name in a `Content-Disposition: attachment; filename="x.csv"` header, if any. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || null;
}
