import { parse } from 'csv-parse/sync';

/**
 * Reads a CSV download as a spreadsheet would (RFC 4180, CRLF records), after checking the UTF-8
 * BOM it must start with for Excel to read Chinese names right.
 */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error(`CSV without a BOM: ${JSON.stringify(text.slice(0, 20))}`);
  const records: string[][] = parse(text, { bom: true, record_delimiter: '\r\n' });
  return records;
}
