import {
  decodeNotesCursor,
  encodeNotesCursor,
  firstNameOf,
  hideReasonProblem,
  newerFirst,
  normaliseSharedText,
  notesPage,
  SHARED_NOTE_MAX_CHARS,
  sharedTextProblem,
} from './notes.rules';

describe('firstNameOf', () => {
  it.each([
    ['Emma Clark', 'Emma'],
    ['  emma   clark ', 'emma'],
    ['Clark, Emma', 'Emma'],
    ['Cher', 'Cher'],
    ['José María Pérez', 'José'],
    ['王芳', '王同学'],
    ['李雷', '李同学'],
    ['王 芳', '王同学'],
    ['欧阳娜娜', '欧阳同学'],
    ['欧阳', '欧同学'],
    ['司马相如', '司马同学'],
    ['阿依古丽·买买提', '阿依古丽'],
  ])('%s -> %s', (full, shown) => {
    expect(firstNameOf(full)).toBe(shown);
  });

  it('never shows an email, and nothing for a one-character or empty name', () => {
    expect(firstNameOf('emma.clark@example.com')).toBeNull();
    expect(firstNameOf('Emma emma@example.com')).toBeNull();
    expect(firstNameOf('芳')).toBeNull();
    expect(firstNameOf('   ')).toBeNull();
  });
});

describe('shared text', () => {
  it('keeps line breaks (one blank line at most), drops control characters and trims', () => {
    expect(normaliseSharedText('  line one\r\nline two  \r\n\r\n\r\n\r\nline three\u0007\u202e ')).toBe(
      'line one\nline two\n\nline three',
    );
    expect(normaliseSharedText('<b>not html</b> **not markdown**')).toBe('<b>not html</b> **not markdown**');
  });

  it('refuses an empty note and one over the limit, counting characters rather than UTF-16 units', () => {
    expect(sharedTextProblem('')).toMatch(/write something/);
    expect(sharedTextProblem('x'.repeat(SHARED_NOTE_MAX_CHARS))).toBeNull();
    expect(sharedTextProblem('字'.repeat(SHARED_NOTE_MAX_CHARS))).toBeNull();
    expect(sharedTextProblem('😀'.repeat(SHARED_NOTE_MAX_CHARS))).toBeNull();
    expect(sharedTextProblem('x'.repeat(SHARED_NOTE_MAX_CHARS + 1))).toBe(
      'a shared note is at most 1000 characters (this one has 1001)',
    );
  });

  it('wants a reason to hide, within its limit', () => {
    expect(hideReasonProblem('  ')).toMatch(/say why/);
    expect(hideReasonProblem('Names another student')).toBeNull();
    expect(hideReasonProblem('x'.repeat(501))).toMatch(/at most 500/);
  });
});

describe('paging the wall', () => {
  const at = (iso: string, id: string) => ({ sharedAt: new Date(iso), id });

  it('round-trips a cursor and refuses anything else', () => {
    const cursor = at('2026-03-01T12:05:00.123Z', '665f1c2e9b1e8a0012345678');
    expect(encodeNotesCursor(cursor)).toBe('1772366700123.665f1c2e9b1e8a0012345678');
    expect(decodeNotesCursor(encodeNotesCursor(cursor))).toEqual(cursor);
    for (const bad of ['', 'abc', '12.xyz', '1.665f1c2e9b1e8a001234567', '{"$gt":1}']) {
      expect(decodeNotesCursor(bad)).toBeNull();
    }
  });

  it('orders newest first, then by id among notes of one instant', () => {
    const notes = [
      at('2026-03-01T12:00:00Z', 'a'.repeat(24)),
      at('2026-03-01T12:10:00Z', 'b'.repeat(24)),
      at('2026-03-01T12:00:00Z', 'c'.repeat(24)),
    ];
    expect([...notes].sort(newerFirst).map((n) => n.id[0])).toEqual(['b', 'c', 'a']);
  });

  it('gives a next cursor only when more were read than a page holds', () => {
    const read = [at('2026-03-01T12:03:00Z', '3'.repeat(24)), at('2026-03-01T12:02:00Z', '2'.repeat(24))];
    expect(notesPage(read, 2)).toEqual({ items: read, next: null });
    const more = notesPage([...read, at('2026-03-01T12:01:00Z', '1'.repeat(24))], 2);
    expect(more.items).toEqual(read);
    expect(more.next).toBe(encodeNotesCursor(read[1]));
    expect(notesPage([], 2)).toEqual({ items: [], next: null });
  });
});
