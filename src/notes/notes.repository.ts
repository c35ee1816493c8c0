import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { NotesCursor } from './notes.rules';
import { NoteModeration, SharedNote } from './notes.schema';

/** A shared note as the services use it. */
export interface NoteRecord {
  id: string;
  cohortId: string;
  enrollmentId: string;
  lessonKey: string;
  author: string | null;
  /** Null once the student stopped sharing it. */
  text: string | null;
  shared: boolean;
  hidden: boolean;
  sharedAt: Date;
  editedAt: Date;
  hiding: { reason: string; by: string; byName: string; at: Date } | null;
  moderation: { action: 'hidden' | 'unhidden'; reason: string | null; by: string; byName: string; at: Date }[];
}

/** Which notes a listing wants: on the wall (shared, not hidden), hidden by staff, or every shared one. */
export type NoteState = 'visible' | 'hidden' | 'all';

export interface NotesQuery {
  lessonKey?: string;
  state: NoteState;
  after?: NotesCursor;
  /** How many to read (a page and one more, to know whether another follows). */
  read: number;
}

interface Subject {
  cohortId: string;
  enrollmentId: string;
  studentId: string;
  lessonKey: string;
}

function toRecord(doc: SharedNote): NoteRecord {
  const moderation = (m: NoteModeration) => ({
    action: m.action,
    reason: m.reason ?? null,
    by: m.by,
    byName: m.byName,
    at: m.at,
  });
  return {
    id: doc._id.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    enrollmentId: doc.enrollmentId.toHexString(),
    lessonKey: doc.lessonKey,
    author: doc.author ?? null,
    text: doc.text ?? null,
    shared: doc.shared,
    hidden: doc.hidden,
    sharedAt: doc.sharedAt,
    editedAt: doc.editedAt,
    hiding: doc.hiding
      ? { reason: doc.hiding.reason ?? '', by: doc.hiding.by, byName: doc.hiding.byName, at: doc.hiding.at }
      : null,
    moderation: (doc.moderation ?? []).map(moderation),
  };
}

@Injectable()
export class NotesRepository {
  constructor(@InjectModel(SharedNote.name, COURSE_FUNNEL_CONNECTION) private readonly notes: Model<SharedNote>) {}

  /**
   * Shares `text` as the student's note for the class: an edit while it is shared keeps its place
   * on the wall; sharing it (again) puts it on top. Hidden stays hidden. Single-document updates
   * on the unique (enrolment, lesson) key, so racing requests end with one note.
   */
  async save(subject: Subject, author: string | null, text: string, at: Date): Promise<NoteRecord> {
    const key = { enrollmentId: new Types.ObjectId(subject.enrollmentId), lessonKey: subject.lessonKey };
    const edited = await this.notes
      .findOneAndUpdate({ ...key, shared: true }, { $set: { text, author, editedAt: at } }, { returnDocument: 'after' })
      .lean<SharedNote>()
      .exec();
    if (edited) return toRecord(edited);
    const share = () =>
      this.notes
        .findOneAndUpdate(
          key,
          {
            $set: { text, author, shared: true, sharedAt: at, editedAt: at },
            $setOnInsert: {
              cohortId: new Types.ObjectId(subject.cohortId),
              studentId: new Types.ObjectId(subject.studentId),
              hidden: false,
              firstSharedAt: at,
              moderation: [],
            },
          },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<SharedNote>()
        .exec();
    try {
      return toRecord(await share());
    } catch (error) {
      // Two first shares raced and this one lost the insert: the note exists now, so update it.
      if (!isDuplicateKeyError(error)) throw error;
      return toRecord(await share());
    }
  }

  /** Stops sharing: the note leaves the wall and its text is dropped; null when there was none. */
  async withdraw(enrollmentId: string, lessonKey: string, at: Date): Promise<NoteRecord | null> {
    const doc = await this.notes
      .findOneAndUpdate(
        { enrollmentId: new Types.ObjectId(enrollmentId), lessonKey },
        { $set: { shared: false, editedAt: at }, $unset: { text: 1 } },
        { returnDocument: 'after' },
      )
      .lean<SharedNote>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async ownNote(enrollmentId: string, lessonKey: string): Promise<NoteRecord | null> {
    const doc = await this.notes
      .findOne({ enrollmentId: new Types.ObjectId(enrollmentId), lessonKey })
      .lean<SharedNote>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** A cohort's shared notes newest first (by share time, then id), after a cursor. */
  async page(cohortId: string, query: NotesQuery): Promise<NoteRecord[]> {
    const filter: Record<string, unknown> = { cohortId: new Types.ObjectId(cohortId), shared: true };
    if (query.lessonKey) filter['lessonKey'] = query.lessonKey;
    if (query.state !== 'all') filter['hidden'] = query.state === 'hidden';
    if (query.after) {
      const { sharedAt, id } = query.after;
      filter['$or'] = [
        { sharedAt: trusted({ $lt: sharedAt }) },
        { sharedAt, _id: trusted({ $lt: new Types.ObjectId(id) }) },
      ];
    }
    const docs = await this.notes
      .find(filter)
      .sort({ sharedAt: -1, _id: -1 })
      .limit(query.read)
      .lean<SharedNote[]>()
      .exec();
    return docs.map(toRecord);
  }

  async find(cohortId: string, noteId: string): Promise<NoteRecord | null> {
    const doc = await this.notes
      .findOne({ _id: new Types.ObjectId(noteId), cohortId: new Types.ObjectId(cohortId) })
      .lean<SharedNote>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Hides a note of the cohort, keeping the reason, who and when. Hiding a hidden note changes
   * nothing (the first reason stands). Null when the cohort has no such note.
   */
  async hide(cohortId: string, noteId: string, entry: Omit<NoteModeration, 'action'>): Promise<NoteRecord | null> {
    const moderation: NoteModeration = { action: 'hidden', ...entry };
    const doc = await this.notes
      .findOneAndUpdate(
        { _id: new Types.ObjectId(noteId), cohortId: new Types.ObjectId(cohortId), hidden: false },
        { $set: { hidden: true, hiding: moderation }, $push: { moderation } },
        { returnDocument: 'after' },
      )
      .lean<SharedNote>()
      .exec();
    return doc ? toRecord(doc) : this.find(cohortId, noteId);
  }

  /** Shows a hidden note again (the hiding stays in `moderation`); a visible one is left as it is. */
  async unhide(cohortId: string, noteId: string, entry: Omit<NoteModeration, 'action' | 'reason'>) {
    const moderation: NoteModeration = { action: 'unhidden', ...entry };
    const doc = await this.notes
      .findOneAndUpdate(
        { _id: new Types.ObjectId(noteId), cohortId: new Types.ObjectId(cohortId), hidden: true },
        { $set: { hidden: false }, $unset: { hiding: 1 }, $push: { moderation } },
        { returnDocument: 'after' },
      )
      .lean<SharedNote>()
      .exec();
    return doc ? toRecord(doc) : this.find(cohortId, noteId);
  }

  /** Students who shared a note for the class at some point (stopping or a hiding does not undo it). */
  countShared(cohortId: string, lessonKey: string): Promise<number> {
    return this.notes.countDocuments({ cohortId: new Types.ObjectId(cohortId), lessonKey }).exec();
  }
}
