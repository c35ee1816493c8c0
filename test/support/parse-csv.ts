/**
 * Reads a CSV download as a spreadsheet would (RFC 4180: quoted cells may hold commas, quotes
 * and line breaks; records end in CRLF), after checking the UTF-8 BOM it starts with.
 */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error(`CSV without a BOM: ${JSON.stringify(text.slice(0, 20))}`);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"' && cell === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...record, cell]);
      record = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  if (quoted || cell !== '' || record.length > 0) throw new Error('CSV ends inside a record');
  return records;
}
