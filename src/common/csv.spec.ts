import { parseCsv } from '../../test/support/parse-csv';
import { CSV_BOM, csvRows, toCsv } from './csv';

describe('toCsv', () => {
  it('starts with the UTF-8 BOM and ends each record, the last too, with CRLF', () => {
    const csv = toCsv(['seat', 'name'], [[1, 'Ana']]);
    expect(csv).toBe(`${CSV_BOM}seat,name\r\n1,Ana\r\n`);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv(['seat', 'name'], [])).toBe(`${CSV_BOM}seat,name\r\n`);
  });

  it.each([
    ['=1+1', `'=1+1`],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+', `'+`],
    ['+86 138', `'+86 138`],
    ['-1250', `'-1250`],
    ['-', `'-`],
    ['@', `'@`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', `'＝1+1`], // the full-width forms too
  ])('defuses the text cell %j as %j', (cell, written) => {
    expect(csvRows([[cell]])).toBe(`${written}\r\n`);
  });

  it('leaves text that only contains a formula sign, and numbers, as they are', () => {
    expect(csvRows([['a=b', 'x-1', 'a@b.test', 3, -1250, 0, 19.9]])).toBe('a=b,x-1,a@b.test,3,-1250,0,19.9\r\n');
  });

  it('keeps a negative money amount given as a number a number; as a string it is text and defused', () => {
    const [, row] = parseCsv(toCsv(['amount_minor', 'currency'], [[-1250, 'CNY']]));
    expect(row).toEqual(['-1250', 'CNY']);
    expect(csvRows([['-1250']])).toBe(`'-1250\r\n`);
  });

  it('quotes commas, quotes and line breaks (CRLF, a lone LF or CR) so a cell stays one cell', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', 'cr\ronly', 'crlf\r\nend'];
    const csv = toCsv(['a', 'b', 'c', 'd', 'e'], [cells]);
    expect(csv).toBe(`${CSV_BOM}a,b,c,d,e\r\n"a,b","say ""hi""","two\nlines","cr\ronly","crlf\r\nend"\r\n`);
    expect(parseCsv(csv)).toEqual([['a', 'b', 'c', 'd', 'e'], cells]);
  });

  it('writes Chinese names as UTF-8 and empty cells for null, undefined and the empty string', () => {
    const csv = toCsv(['name', 'note', 'payout', 'x'], [['王小明', null, undefined, '']]);
    expect(csv).toBe(`${CSV_BOM}name,note,payout,x\r\n王小明,,,\r\n`);
    expect(Buffer.from(csv, 'utf8').includes(Buffer.from('王小明', 'utf8'))).toBe(true);
  });

  it('streams: the rows of a later page join the header without a second BOM', () => {
    const streamed = toCsv(['seat', 'name'], []) + csvRows([[1, 'Ana']]) + csvRows([[2, '=Ben']]);
    expect(streamed).toBe(
      toCsv(
        ['seat', 'name'],
        [
          [1, 'Ana'],
          [2, '=Ben'],
        ],
      ),
    );
    expect(streamed.split(CSV_BOM)).toHaveLength(2);
    expect(csvRows([])).toBe('');
  });
});
