import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One staff decision about a note, kept in order: hidden (with its reason) or shown again. */
@Schema({ _id: false, versionKey: false })
export class NoteModeration {
  @Prop({ type: String, required: true, enum: ['hidden', 'unhidden'] })
  action!: 'hidden' | 'unhidden';

  @Prop()
  reason?: string;

  /** The staff token's id, and its name as it was then. */
  @Prop({ required: true })
  by!: string;

  @Prop({ required: true })
  byName!: string;

  @Prop({ required: true })
  at!: Date;
}

const NoteModerationSchema = SchemaFactory.createForClass(NoteModeration);

/**
 * A student's note shared with their group for one class: one document per (enrolment, lesson),
 * apart from the insert-once check-in event (whose notes only staff read). The student may edit
 * it or stop sharing it; staff may hide it. It holds the shown name only (firstNameOf), never the
 * full name or email, so the wall needs no second read.
 */
@Schema({ collection: 'cf_shared_notes', strictQuery: 'throw', versionKey: false })
export class SharedNote {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  /** The name classmates see (firstNameOf the enrolment's name); null reads "a classmate". */
  @Prop({ type: String, default: null })
  author!: string | null;

  /** Absent once the student stops sharing: what they took back is not kept. */
  @Prop()
  text?: string;

  /** Whether the student shares it now (false after they stop). */
  @Prop({ required: true })
  shared!: boolean;

  /** Whether staff hid it: hidden notes are on no wall, whatever the student does. */
  @Prop({ required: true })
  hidden!: boolean;

  /** When it was (last) shared: the wall's order. An edit keeps its place. */
  @Prop({ required: true })
  sharedAt!: Date;

  /** When this student first shared a note for this class (the funnel report counts these). */
  @Prop({ required: true })
  firstSharedAt!: Date;

  @Prop({ required: true })
  editedAt!: Date;

  /** The hiding in force: its reason, who and when (also in `moderation`). */
  @Prop({ type: NoteModerationSchema })
  hiding?: NoteModeration;

  @Prop({ type: [NoteModerationSchema], default: [] })
  moderation!: NoteModeration[];
}

export const SharedNoteSchema = SchemaFactory.createForClass(SharedNote);
// One note per student and class: sharing again or editing updates it, and two racing first
// shares cannot both insert (NotesRepository.save retries the loser as an update).
SharedNoteSchema.index({ enrollmentId: 1, lessonKey: 1 }, { unique: true });
// The wall and the staff list: a class's notes newest first (NotesRepository.page: equality on
// cohortId, lessonKey, shared, hidden; sort and cursor on sharedAt, _id), and the report's count
// per class (countShared: the {cohortId, lessonKey} prefix).
SharedNoteSchema.index({ cohortId: 1, lessonKey: 1, shared: 1, hidden: 1, sharedAt: -1, _id: -1 });
// The staff list across classes (NotesRepository.page without a lesson).
SharedNoteSchema.index({ cohortId: 1, sharedAt: -1, _id: -1 });
