import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { Tenancy } from '../common/tenancy';
import { CohortsService } from '../cohorts/cohorts.service';
import type { StudentCourse } from '../enrollments/student-lessons.service';
import { MongoThrottlerStorage } from '../rate-limit/mongo-throttler.storage';
import { NotesError } from './notes.errors';
import { NoteRecord, NotesRepository, NoteState } from './notes.repository';
import {
  decodeNotesCursor,
  firstNameOf,
  hideReasonProblem,
  normaliseSharedText,
  notesPage,
  SHARE_RATE_LIMIT,
  sharedTextProblem,
} from './notes.rules';

/** A note on a lesson page's wall, as a classmate sees it. */
export interface WallNote {
  id: string;
  /** The shown name (first name, or 王同学); null: "a classmate". */
  author: string | null;
  text: string;
  sharedAt: Date;
  editedAt: Date;
  /** The reader's own note. */
  mine: boolean;
}

/** The reader's own note for the class, as they see it (hidden ones too, without the reason). */
export interface OwnNote {
  text: string | null;
  shared: boolean;
  hidden: boolean;
  sharedAt: Date;
}

/** A note as staff see it, with the hiding in force and every decision. */
export type StaffNote = Omit<NoteRecord, 'shared'> & { state: 'visible' | 'hidden' };

export interface NotesPage<T> {
  items: T[];
  /** Pass as `after` for the next (older) page; null on the last. */
  next: string | null;
}

export interface StaffNotesQuery {
  lessonKey?: string;
  state: NoteState;
  after?: string;
  limit: number;
}

const toStaffNote = ({ shared: _shared, ...note }: NoteRecord): StaffNote => ({
  ...note,
  state: note.hidden ? 'hidden' : 'visible',
});

/**
 * The notes wall: students share a note for a class with their group (at check-in or after),
 * classmates read the class's notes newest first, staff hide the ones that should not be there.
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly cohorts: CohortsService,
    private readonly throttler: MongoThrottlerStorage,
    private readonly clock: Clock,
  ) {}

  /**
   * The text a student means to share, normalised, once it passes the length rule (a 400 naming
   * `field`) and the student's share limit (a 429): call before anything else of the request is
   * recorded, then `save`.
   */
  async admit(course: StudentCourse, text: string | undefined, field: string): Promise<string> {
    const normalised = normaliseSharedText(text ?? '');
    const problem = sharedTextProblem(normalised);
    if (problem) {
      throw new NotesError('invalid_shared_note', `${field}: ${problem}`, { fields: [{ field, errors: [problem] }] });
    }
    const { limit, windowMs } = SHARE_RATE_LIMIT;
    const hit = await this.throttler.increment(course.enrollment.studentId, windowMs, limit, 0, 'notes-share');
    if (hit.isBlocked) {
      throw new NotesError(
        'too_many_shares',
        `You have shared or edited ${limit} notes within the hour; try again in ${Math.ceil(hit.timeToExpire / 60)} minute(s)`,
        { info: { limit, retryAfterSeconds: hit.timeToExpire } },
      );
    }
    return normalised;
  }

  /** Shares an admitted text as the student's note for the class (an edit if already shared). */
  async save(course: StudentCourse, lessonKey: string, admitted: string): Promise<OwnNote> {
    const { enrollment } = course;
    const note = await this.notes.save(
      { cohortId: enrollment.cohortId, enrollmentId: enrollment.id, studentId: enrollment.studentId, lessonKey },
      firstNameOf(enrollment.name),
      admitted,
      this.clock.now(),
    );
    return ownView(note);
  }

  async share(course: StudentCourse, lessonKey: string, text: string | undefined, field: string): Promise<OwnNote> {
    return this.save(course, lessonKey, await this.admit(course, text, field));
  }

  /** Stops sharing the note (it leaves the wall, its text is dropped); nothing to stop is fine. */
  async withdraw(course: StudentCourse, lessonKey: string): Promise<OwnNote | null> {
    const note = await this.notes.withdraw(course.enrollment.id, lessonKey, this.clock.now());
    return note && ownView(note);
  }

  async ownNote(course: StudentCourse, lessonKey: string): Promise<OwnNote | null> {
    const note = await this.notes.ownNote(course.enrollment.id, lessonKey);
    return note && ownView(note);
  }

  /**
   * The class's wall for a student of the cohort: shared, unhidden notes newest first, `limit` at
   * a time after `after` (a cursor this gave; anything else reads from the top).
   */
  async wall(course: StudentCourse, lessonKey: string, after: string | undefined, limit: number) {
    const cursor = after ? decodeNotesCursor(after) : null;
    const read = await this.notes.page(course.enrollment.cohortId, {
      lessonKey,
      state: 'visible',
      ...(cursor ? { after: cursor } : {}),
      read: limit + 1,
    });
    const page = notesPage(read, limit);
    return {
      items: page.items.map((n): WallNote => ({
        id: n.id,
        author: n.author,
        text: n.text ?? '',
        sharedAt: n.sharedAt,
        editedAt: n.editedAt,
        mine: n.enrollmentId === course.enrollment.id,
      })),
      next: page.next,
    } satisfies NotesPage<WallNote>;
  }

  /** A cohort's shared notes for staff, newest first, by class and state. */
  async list(cohortId: string, query: StaffNotesQuery, tenancy: Tenancy): Promise<NotesPage<StaffNote>> {
    await this.cohorts.find(cohortId, tenancy);
    const cursor = query.after ? decodeNotesCursor(query.after) : null;
    const read = await this.notes.page(cohortId, {
      state: query.state,
      ...(query.lessonKey ? { lessonKey: query.lessonKey } : {}),
      ...(cursor ? { after: cursor } : {}),
      read: query.limit + 1,
    });
    const page = notesPage(read, query.limit);
    return { items: page.items.map(toStaffNote), next: page.next };
  }

  /** Hides a note from every wall at once, keeping the reason, who and when; twice is once. */
  async hide(
    cohortId: string,
    noteId: string,
    reason: string,
    staff: StaffPrincipal,
    tenancy: Tenancy,
  ): Promise<StaffNote> {
    await this.cohorts.find(cohortId, tenancy);
    const problem = hideReasonProblem(reason);
    if (problem) {
      throw new NotesError('invalid_hide_reason', `reason: ${problem}`, {
        fields: [{ field: 'reason', errors: [problem] }],
      });
    }
    const note = await this.notes.hide(cohortId, noteId, {
      reason: reason.trim(),
      by: staff.tokenId,
      byName: staff.name,
      at: this.clock.now(),
    });
    if (!note) throw new NotFoundError('shared_note', noteId);
    return toStaffNote(note);
  }

  /** Puts a hidden note back on the wall; its hiding stays in `moderation`. */
  async unhide(cohortId: string, noteId: string, staff: StaffPrincipal, tenancy: Tenancy): Promise<StaffNote> {
    await this.cohorts.find(cohortId, tenancy);
    const note = await this.notes.unhide(cohortId, noteId, {
      by: staff.tokenId,
      byName: staff.name,
      at: this.clock.now(),
    });
    if (!note) throw new NotFoundError('shared_note', noteId);
    return toStaffNote(note);
  }

  /** How many students shared a note for each of these classes (for the funnel report). */
  async sharedPerLesson(cohortId: string, lessonKeys: string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(lessonKeys.map((key) => this.notes.countShared(cohortId, key)));
    return new Map(lessonKeys.map((key, i) => [key, counts[i] ?? 0]));
  }
}

function ownView(note: NoteRecord): OwnNote {
  return { text: note.text, shared: note.shared, hidden: note.hidden, sharedAt: note.sharedAt };
}
