import { parse, type Info } from 'csv-parse/sync';
import { emailKey } from '../students/email.rules';

/** At most this many students per import: one request enrols them one by one, in file order. */
export const MAX_IMPORT_ROWS = 2_000;
/** At most this many bytes of CSV (UTF-8). */
export const MAX_IMPORT_BYTES = 1_000_000;

/** The columns an import reads; any other column is ignored. */
export type ImportColumn = 'name' | 'email' | 'locale' | 'timezone';

/** Header names, lower-cased, as people write them (English or Chinese spreadsheets). */
const COLUMN_ALIASES: Record<string, ImportColumn> = {
  name: 'name',
  姓名: 'name',
  email: 'email',
  'e-mail': 'email',
  邮箱: 'email',
  locale: 'locale',
  语言: 'locale',
  timezone: 'timezone',
  时区: 'timezone',
};

/** One data row as plain input for EnrollDto: empty cells are left out, so validation names them. */
export type ImportRow = Partial<Record<ImportColumn, string>>;

export interface ImportLine {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  row: ImportRow;
}

interface ParsedRecord {
  record: string[];
  info: Info;
  raw: string;
}

export type ParsedImport = { ok: true; lines: ImportLine[] } | { ok: false; error: string };

/**
 * Reads an import file: a header naming at least the name and email columns, then one student a
 * row. Comma-separated, or tab-separated as cells pasted from a spreadsheet are (or `;`, as
 * spreadsheets in comma-decimal locales save CSV). Blank rows are skipped.
 */
export function parseImportCsv(text: string): ParsedImport {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      error: `is ${bytes.toLocaleString('en')} bytes; at most ${MAX_IMPORT_BYTES.toLocaleString('en')} can be imported at once`,
    };
  }
  // One line ending: csv-parse miscounts lines around blank CRLF lines, and line numbers are
  // what staff use to find a refused row.
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let records: ParsedRecord[];
  try {
    // With `info` and `raw`, csv-parse returns these wrappers; its types know only plain records.
    records = parse(normalised, {
      delimiter: delimiterOf(normalised),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // A hand-written `O"Brien` is a name, not a malformed file.
      relax_quotes: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    return { ok: false, error: `is not readable CSV: ${error instanceof Error ? error.message : String(error)}` };
  }
  const [header, ...data] = records.map(({ record, info, raw }) => ({
    cells: record.map((cell) => cell.trim()),
    line: startLine(info.lines, raw),
  }));
  if (!header) return { ok: false, error: 'is empty: the first row must name the columns name and email' };
  const columns = columnsOf(header.cells);
  if (typeof columns === 'string') return { ok: false, error: columns };
  const rows = data.filter(({ cells }) => cells.some((cell) => cell !== ''));
  if (rows.length === 0) return { ok: false, error: 'has no students: no rows below the header' };
  if (rows.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      error: `has ${rows.length.toLocaleString('en')} rows; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} can be imported at once`,
    };
  }
  return { ok: true, lines: rows.map(({ cells, line }) => ({ line, row: rowOf(cells, columns) })) };
}

/** Where each column is, or why the header will not do. */
function columnsOf(header: string[]): Map<ImportColumn, number> | string {
  const columns = new Map<ImportColumn, number>();
  for (const [index, cell] of header.entries()) {
    const column = COLUMN_ALIASES[cell.toLowerCase()];
    if (!column) continue;
    if (columns.has(column))
      return `names the ${column} column twice (columns ${columns.get(column)! + 1} and ${index + 1})`;
    columns.set(column, index);
  }
  const missing = (['name', 'email'] as const).filter((column) => !columns.has(column));
  if (missing.length > 0) {
    const found = header.filter((cell) => cell !== '').join(', ') || 'nothing';
    return `the first row must name the columns name (or 姓名) and email (or 邮箱, e-mail); it has no ${missing.join(' or ')} column (found: ${found})`;
  }
  return columns;
}

function rowOf(cells: string[], columns: Map<ImportColumn, number>): ImportRow {
  const row: ImportRow = {};
  for (const [column, index] of columns) {
    const cell = cells[index];
    if (cell) row[column] = cell;
  }
  return row;
}

/** Tabs or semicolons when the header (the first line not blank) has those and no comma; commas otherwise. */
function delimiterOf(text: string): string {
  const headerLine = /^.*\S.*$/m.exec(text)?.[0] ?? '';
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes('\t')) return '\t';
  if (headerLine.includes(';')) return ';';
  return ',';
}

/**
 * csv-parse counts the line a record ends on, and its raw text carries the blank lines skipped
 * before it; a quoted cell may span lines, so the record starts that many line breaks earlier.
 */
function startLine(endLine: number, raw: string): number {
  const own = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (own.match(/\n/g)?.length ?? 0);
}

/**
 * For each row whose email (normalised: emailKey) an earlier row already has, that earlier row's
 * line. Pass the rows that can be imported, so a refused row does not shadow a good one.
 */
export function duplicateLines(rows: readonly { line: number; email: string }[]): Map<number, number> {
  const first = new Map<string, number>();
  const duplicates = new Map<number, number>();
  for (const { line, email } of rows) {
    const key = emailKey(email);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, line);
    else duplicates.set(line, earlier);
  }
  return duplicates;
}
