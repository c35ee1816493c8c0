/**
 * The rules of the notes wall: what a shared note may hold, whose name it shows, how a wall is
 * paged, how often a student may share. Pure, no database.
 */

/** The longest note a student may share with their group, in characters (code points). */
export const SHARED_NOTE_MAX_CHARS = 1000;

/** The longest reason staff may give for hiding a note. */
export const HIDE_REASON_MAX_CHARS = 500;

/** Shares (and edits) a student may make across their classes per window, counted on every instance. */
export const SHARE_RATE_LIMIT = { limit: 10, windowMs: 60 * 60_000 } as const;

/** Notes on one page of the lesson page's wall. */
export const WALL_PAGE_SIZE = 10;

/**
 * A note's text as it is kept: line breaks as `\n` (at most one blank line in a row), other control
 * characters dropped, the ends trimmed. It stays text: pages escape it and never read Markdown.
 */
export function normaliseSharedText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** Why a (normalised) text cannot be shared, or null when it can. */
export function sharedTextProblem(text: string): string | null {
  if (text.length === 0) return 'write something to share with your group';
  const length = [...text].length;
  if (length > SHARED_NOTE_MAX_CHARS) {
    return `a shared note is at most ${SHARED_NOTE_MAX_CHARS} characters (this one has ${length})`;
  }
  return null;
}

/** Why a hiding reason is refused, or null. */
export function hideReasonProblem(reason: string): string | null {
  const trimmed = reason.trim();
  if (trimmed.length === 0) return 'say why the note is hidden';
  if ([...trimmed].length > HIDE_REASON_MAX_CHARS) return `at most ${HIDE_REASON_MAX_CHARS} characters`;
  return null;
}

const HAN = /^[\p{Script=Han}·・]+$/u;
/** Two-character Chinese surnames, so 欧阳娜娜 reads 欧阳同学 and not 欧同学. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '令狐',
  '轩辕',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '呼延',
  '万俟',
  '闻人',
  '澹台',
  '公冶',
  '申屠',
  '太史',
]);

/**
 * The name a classmate sees on a shared note: never the full name, never an email.
 *
 * - Names written with spaces give their first word: "Emma Clark" -> "Emma"; "Clark, Emma" -> "Emma".
 * - Chinese names (Han characters, no spaces) put the family name first and a bare given name
 *   sounds intimate among strangers, so they read as the family name with 同学 ("classmate"):
 *   王芳 -> 王同学, 欧阳娜娜 -> 欧阳同学. A name with a middle dot (阿依古丽·买买提, given name
 *   first) gives its first part: 阿依古丽.
 * - A one-character name, anything that looks like an email, or nothing: null, shown as "a classmate".
 */
export function firstNameOf(fullName: string): string | null {
  const name = fullName.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length === 0 || name.includes('@')) return null;
  const compact = name.replace(/ /g, '');
  if (HAN.test(compact)) {
    const dotted = compact.split(/[·・]/).filter(Boolean);
    if (dotted.length > 1) return dotted[0] ?? null;
    const chars = [...compact];
    if (chars.length < 2) return null;
    const surname =
      chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? chars.slice(0, 2) : chars.slice(0, 1);
    return `${surname.join('')}同学`;
  }
  const comma = name.split(',');
  const given = comma.length === 2 && comma[1]?.trim() ? comma[1].trim() : name;
  const first = given.split(' ')[0] ?? '';
  return first.length > 0 ? first : null;
}

/** Where a newest-first page of notes ends: the last note's share time and id. */
export interface NotesCursor {
  sharedAt: Date;
  id: string;
}

/** `<ms since epoch>.<24 hex id>`: opaque to callers, short enough for a link. */
export function encodeNotesCursor(cursor: NotesCursor): string {
  return `${cursor.sharedAt.getTime()}.${cursor.id}`;
}

/** The cursor a page link carries, or null when it is not one of ours. */
export function decodeNotesCursor(value: string): NotesCursor | null {
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(value);
  if (!match) return null;
  const sharedAt = new Date(Number(match[1]));
  return Number.isNaN(sharedAt.getTime()) ? null : { sharedAt, id: match[2] };
}

/** Whether note `a` comes before `b` on a wall: newer first, and by id among notes shared at one instant. */
export function newerFirst(a: NotesCursor, b: NotesCursor): number {
  return b.sharedAt.getTime() - a.sharedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * A page of notes read with one extra (`limit + 1` asked for): the first `limit`, and the cursor of
 * the next page when the extra one shows there is more.
 */
export function notesPage<T extends NotesCursor>(read: T[], limit: number): { items: T[]; next: string | null } {
  const items = read.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: read.length > limit && last ? encodeNotesCursor(last) : null };
}
