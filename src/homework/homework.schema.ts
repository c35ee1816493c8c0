import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { CriterionScore } from './homework.rules';

/** `in_review`: graded by an assistant, waiting for a reviewer before the student is told. */
export const SUBMISSION_STATUSES = ['submitted', 'in_review', 'graded'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** A grade as given; every grading of a submission is kept (regrading adds a version). */
@Schema({ collection: 'cf_homework_grades', strictQuery: 'throw', versionKey: false })
export class HomeworkGrade {
  /**
   * `${submissionId}:${version}`. Inserted once: of two graders who both read version n-1 and
   * grade at the same time, one inserts version n and the other gets a conflict.
   */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  submissionId!: string;

  @Prop({ required: true })
  version!: number;

  /** The submission revision this grade is for. */
  @Prop({ required: true })
  revision!: number;

  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  scores!: CriterionScore[];

  @Prop({ default: '' })
  feedback!: string;

  @Prop({ required: true })
  rawScore!: number;

  @Prop({ required: true })
  penaltyPoints!: number;

  @Prop({ required: true })
  total!: number;

  @Prop({ required: true })
  passed!: boolean;

  @Prop({ required: true })
  gradedBy!: string;

  @Prop({ required: true })
  gradedAt!: Date;

  /** Given by a grader whose grades a reviewer approves before the student sees them. */
  @Prop({ default: false })
  needsReview!: boolean;
}

export const HomeworkGradeSchema = SchemaFactory.createForClass(HomeworkGrade);
HomeworkGradeSchema.index({ submissionId: 1, version: 1 });

export const REVIEW_DECISIONS = ['approved', 'returned'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/**
 * A reviewer's decision on one grade version, `${submissionId}:${version}`, inserted once: of two
 * reviewers deciding at the same time, one wins and the other gets a conflict.
 */
@Schema({ collection: 'cf_homework_reviews', strictQuery: 'throw', versionKey: false })
export class HomeworkReview {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  submissionId!: string;

  @Prop({ required: true })
  version!: number;

  @Prop({ type: String, required: true, enum: REVIEW_DECISIONS })
  decision!: ReviewDecision;

  @Prop({ default: '' })
  note!: string;

  @Prop({ required: true })
  reviewedBy!: string;

  @Prop({ required: true })
  reviewedAt!: Date;
}

export const HomeworkReviewSchema = SchemaFactory.createForClass(HomeworkReview);
HomeworkReviewSchema.index({ submissionId: 1 });

/**
 * Who grades one lesson's homework in a cohort (`${cohortId}:${lessonKey}`); see grading.rules.
 */
@Schema({ collection: 'cf_grading_assignments', strictQuery: 'throw', versionKey: false })
export class GradingAssignmentDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  @Prop({ type: [String], default: [] })
  graders!: string[];

  @Prop({ type: [String], default: [] })
  reviewers!: string[];

  @Prop({ required: true })
  reviewRequired!: boolean;

  @Prop({ required: true })
  updatedBy!: string;

  @Prop({ required: true })
  updatedAt!: Date;
}

export const GradingAssignmentSchema = SchemaFactory.createForClass(GradingAssignmentDoc);
GradingAssignmentSchema.index({ cohortId: 1 });

/** A student's homework for one lesson: the latest revision and, once graded, its latest grade. */
@Schema({ collection: 'cf_homework', strictQuery: 'throw', versionKey: false })
export class HomeworkSubmission {
  /** `${enrollmentId}:${lessonKey}`: one per student and lesson. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  @Prop({ required: true })
  text!: string;

  @Prop({ type: [String], default: [] })
  links!: string[];

  /** 1 for the first submission; a resubmission before grading adds one. */
  @Prop({ required: true })
  revision!: number;

  @Prop({ required: true })
  submittedAt!: Date;

  @Prop({ required: true })
  daysLate!: number;

  @Prop({ required: true })
  penaltyPercent!: number;

  /** Auto-check findings for the grader (too short, missing keywords); never a grade. */
  @Prop({ type: [String], default: [] })
  flags!: string[];

  @Prop({ type: String, required: true, enum: SUBMISSION_STATUSES })
  status!: SubmissionStatus;

  /** The grade the student sees (its full history is in cf_homework_grades). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  grade?: Omit<HomeworkGrade, '_id' | 'submissionId'>;

  /** A grade waiting for review (status `in_review`); never shown to the student. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  pendingGrade?: Omit<HomeworkGrade, '_id' | 'submissionId'>;

  /** The highest grade version given, pending and returned ones included; the next grade is one more. */
  @Prop({ default: 0 })
  gradeVersion!: number;

  /** The last review decision, so a grader sees why a grade came back. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  lastReview?: Omit<HomeworkReview, '_id' | 'submissionId'>;
}

export const HomeworkSubmissionSchema = SchemaFactory.createForClass(HomeworkSubmission);
// The grading queue: a cohort's submissions by lesson and status.
HomeworkSubmissionSchema.index({ cohortId: 1, lessonKey: 1, status: 1 });
HomeworkSubmissionSchema.index({ enrollmentId: 1 });
