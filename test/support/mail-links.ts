/** The path and query of the first link in a plain-text mail that matches, to call it on the test server. */
export function linkIn(text: string | undefined, path: RegExp): string {
  const url = (text ?? '').split(/\s+/).find((word) => word.startsWith('http') && path.test(word));
  if (!url) throw new Error(`no link matching ${String(path)} in:\n${text}`);
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
