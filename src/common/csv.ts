import { stringify, type Options } from 'csv-stringify/sync';

/**
 * A cell of a CSV file. Strings are text and are defused when they look like a formula; numbers
 * are numbers and are written as they are, so a negative money amount such as -1250 stays a
 * number a spreadsheet can sum. null and undefined are empty cells.
 */
export type CsvCell = string | number | null | undefined;
export type CsvRow = readonly CsvCell[];

/** The byte order mark that makes Excel read the file as UTF-8 (Chinese names, not mojibake). */
export const CSV_BOM = '\uFEFF';

const OPTIONS: Options = {
  // RFC 4180 line ends. With a record delimiter of its own, csv-stringify stops quoting a lone
  // `\n` or `\r` inside a cell unless told to, so a multi-line note would split the record.
  record_delimiter: 'windows',
  quote_record_delimiter: true,
  // OWASP CSV injection: a text cell starting with = + - @, a tab or a carriage return (or their
  // full-width forms) gets a leading `'`, so a spreadsheet shows it instead of running it. A
  // number starting with - is left alone: it is a negative number, not a formula.
  escape_formulas: true,
};

/** Records as CSV, no BOM: the rows that follow a header already sent (a file streamed in pages). */
export function csvRows(rows: Iterable<CsvRow>): string {
  return stringify(Array.from(rows), OPTIONS);
}

/**
 * A whole CSV file: the BOM, the header and the rows, each record ending in CRLF. To stream a
 * long file, send `toCsv(header, [])` first, then `csvRows(page)` for each page.
 */
export function toCsv(header: readonly string[], rows: Iterable<CsvRow>): string {
  return CSV_BOM + csvRows([header, ...rows]);
}
