import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * A CSV file as a download named `filename`: the text of `toCsv` (common/csv), or its chunks as
 * they are made for a long file streamed page by page.
 */
export function csvDownload(filename: string, body: string | AsyncIterable<string>): StreamableFile {
  const disposition = `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`;
  if (typeof body !== 'string') return new StreamableFile(Readable.from(body), { type: CSV_CONTENT_TYPE, disposition });
  const bytes = Buffer.from(body, 'utf8');
  return new StreamableFile(bytes, { type: CSV_CONTENT_TYPE, disposition, length: bytes.length });
}
