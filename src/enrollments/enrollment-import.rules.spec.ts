import { duplicateLines, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, parseImportCsv } from './enrollment-import.rules';

const linesOf = (text: string) => {
  const parsed = parseImportCsv(text);
  if (!parsed.ok) throw new Error(`refused: ${parsed.error}`);
  return parsed.lines;
};

const errorOf = (text: string) => {
  const parsed = parseImportCsv(text);
  if (parsed.ok) throw new Error('accepted');
  return parsed.error;
};

describe('parseImportCsv', () => {
  it('reads one plain row per student, numbered by file line with the header as line 1', () => {
    expect(
      linesOf('name,email,locale,timezone\nAna,ana@example.test,en,Europe/Berlin\n王芳,wang@example.test,,\n'),
    ).toEqual([
      { line: 2, row: { name: 'Ana', email: 'ana@example.test', locale: 'en', timezone: 'Europe/Berlin' } },
      // Empty cells are left out, so validation treats them as not given.
      { line: 3, row: { name: '王芳', email: 'wang@example.test' } },
    ]);
  });

  it('matches headers case-insensitively, trimmed, in English or Chinese, after a BOM, in any order', () => {
    expect(linesOf('\uFEFF 邮箱 ,姓名,语言,时区\r\nwang@example.test,王芳,zh-CN,Asia/Shanghai\r\n')).toEqual([
      { line: 2, row: { name: '王芳', email: 'wang@example.test', locale: 'zh-CN', timezone: 'Asia/Shanghai' } },
    ]);
    expect(linesOf('NAME,E-Mail,Phone\nAna,ana@example.test,+49 30 1234\n')).toEqual([
      { line: 2, row: { name: 'Ana', email: 'ana@example.test' } },
    ]);
  });

  it('trims cells and leaves a cell that is only spaces out', () => {
    expect(linesOf('name,email,locale\n  Ana  , ana@example.test ,  \n')).toEqual([
      { line: 2, row: { name: 'Ana', email: 'ana@example.test' } },
    ]);
  });

  it('skips blank rows and keeps counting the file lines, CRLF or LF, quoted line breaks too', () => {
    const rows = ['name,email', '', 'Ana,a@example.test', ',', '"Bo', 'Li",b@example.test', 'Cy,c@example.test'];
    for (const eol of ['\n', '\r\n']) {
      expect(linesOf(rows.join(eol)).map(({ line, row }) => [line, row.email])).toEqual([
        [3, 'a@example.test'],
        [5, 'b@example.test'],
        [7, 'c@example.test'],
      ]);
    }
  });

  it('keeps a short row (missing trailing cells) and a stray quote in a name', () => {
    expect(linesOf('name,email,locale\nAna\nO"Brien,ob@example.test\n')).toEqual([
      { line: 2, row: { name: 'Ana' } },
      { line: 3, row: { name: 'O"Brien', email: 'ob@example.test' } },
    ]);
  });

  it('reads cells pasted from a spreadsheet (tabs) and semicolon-separated files', () => {
    expect(linesOf('姓名\t邮箱\n王芳\twang@example.test\n')[0]?.row).toEqual({
      name: '王芳',
      email: 'wang@example.test',
    });
    expect(linesOf('name;email\nAna;ana@example.test\n')[0]?.row).toEqual({ name: 'Ana', email: 'ana@example.test' });
  });

  it('refuses a header without a name or an email column, saying what it found', () => {
    expect(errorOf('name,phone\nAna,123\n')).toBe(
      'the first row must name the columns name (or 姓名) and email (or 邮箱, e-mail); it has no email column (found: name, phone)',
    );
    expect(errorOf('Ana,ana@example.test\n')).toContain('it has no name or email column');
    expect(errorOf('name,email,Email\n')).toBe('names the email column twice (columns 2 and 3)');
  });

  it('refuses an empty file, a header alone, and a file that is not CSV', () => {
    expect(errorOf('')).toMatch(/^is empty/);
    expect(errorOf('\n\n')).toMatch(/^is empty/);
    expect(errorOf('name,email\n\n,\n')).toBe('has no students: no rows below the header');
    expect(errorOf('name,email\n"Ana,ana@example.test\n')).toMatch(/^is not readable CSV: Quote Not Closed/);
  });

  it(`takes up to ${MAX_IMPORT_ROWS} students and ${MAX_IMPORT_BYTES} bytes`, () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `S${i},s${i}@example.test`);
    expect(linesOf(['name,email', ...rows(MAX_IMPORT_ROWS)].join('\n'))).toHaveLength(MAX_IMPORT_ROWS);
    expect(errorOf(['name,email', ...rows(MAX_IMPORT_ROWS + 1)].join('\n'))).toBe(
      'has 2,001 rows; at most 2,000 can be imported at once',
    );
    // Bytes, not characters: Chinese names take three each.
    const big = `name,email\n${'王'.repeat(MAX_IMPORT_BYTES / 3)},w@example.test\n`;
    expect(big.length).toBeLessThan(MAX_IMPORT_BYTES);
    expect(errorOf(big)).toMatch(/^is 1,000,0\d\d bytes; at most 1,000,000 can be imported at once$/);
  });
});

describe('duplicateLines', () => {
  it('points each later row with the same normalised email at the first one', () => {
    const duplicates = duplicateLines([
      { line: 2, email: 'Ana@Example.test' },
      { line: 3, email: 'bo@example.test' },
      { line: 4, email: ' ana@example.TEST ' },
      { line: 6, email: 'ana@example.test' },
    ]);
    expect([...duplicates]).toEqual([
      [4, 2],
      [6, 2],
    ]);
  });

  it('leaves addresses the normalisation keeps apart (dots, +tags) as different rows', () => {
    expect(
      duplicateLines([
        { line: 2, email: 'li.na@example.test' },
        { line: 3, email: 'lina@example.test' },
      ]).size,
    ).toBe(0);
  });
});
