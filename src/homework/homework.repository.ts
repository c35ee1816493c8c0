import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { GradingAssignment } from './grading.rules';
import {
  GradingAssignmentDoc,
  HomeworkGrade,
  HomeworkReview,
  HomeworkSubmission,
  SubmissionStatus,
} from './homework.schema';

export type GradeRecord = Omit<HomeworkGrade, '_id'>;
export type ReviewRecord = Omit<HomeworkReview, '_id'>;

export interface SubmissionRecord {
  id: string;
  cohortId: string;
  enrollmentId: string;
  studentId: string;
  lessonKey: string;
  text: string;
  links: string[];
  revision: number;
  submittedAt: Date;
  daysLate: number;
  penaltyPercent: number;
  flags: string[];
  status: SubmissionStatus;
  /** The grade the student sees. */
  grade: Omit<GradeRecord, 'submissionId'> | null;
  /** A grade waiting for a reviewer (staff only). */
  pendingGrade: Omit<GradeRecord, 'submissionId'> | null;
  gradeVersion: number;
  lastReview: Omit<ReviewRecord, 'submissionId'> | null;
}

export type NewSubmission = Omit<
  SubmissionRecord,
  'id' | 'status' | 'grade' | 'pendingGrade' | 'gradeVersion' | 'lastReview'
>;

export const submissionId = (enrollmentId: string, lessonKey: string) => `${enrollmentId}:${lessonKey}`;

function toRecord(doc: HomeworkSubmission): SubmissionRecord {
  return {
    id: doc._id,
    cohortId: doc.cohortId.toHexString(),
    enrollmentId: doc.enrollmentId.toHexString(),
    studentId: doc.studentId.toHexString(),
    lessonKey: doc.lessonKey,
    text: doc.text,
    links: doc.links ?? [],
    revision: doc.revision,
    submittedAt: doc.submittedAt,
    daysLate: doc.daysLate,
    penaltyPercent: doc.penaltyPercent,
    flags: doc.flags ?? [],
    status: doc.status,
    grade: doc.grade ?? null,
    pendingGrade: doc.pendingGrade ?? null,
    gradeVersion: doc.gradeVersion ?? doc.grade?.version ?? 0,
    lastReview: doc.lastReview ?? null,
  };
}

function toAssignment(doc: GradingAssignmentDoc): GradingAssignment {
  return {
    cohortId: doc.cohortId.toHexString(),
    lessonKey: doc.lessonKey,
    graders: doc.graders ?? [],
    reviewers: doc.reviewers ?? [],
    reviewRequired: doc.reviewRequired,
  };
}

@Injectable()
export class HomeworkRepository {
  constructor(
    @InjectModel(HomeworkSubmission.name, COURSE_FUNNEL_CONNECTION)
    private readonly submissions: Model<HomeworkSubmission>,
    @InjectModel(HomeworkGrade.name, COURSE_FUNNEL_CONNECTION) private readonly grades: Model<HomeworkGrade>,
    @InjectModel(HomeworkReview.name, COURSE_FUNNEL_CONNECTION) private readonly reviews: Model<HomeworkReview>,
    @InjectModel(GradingAssignmentDoc.name, COURSE_FUNNEL_CONNECTION)
    private readonly assignmentDocs: Model<GradingAssignmentDoc>,
  ) {}

  async find(id: string): Promise<SubmissionRecord | null> {
    const doc = await this.submissions.findById(id).lean<HomeworkSubmission>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Writes a submission, or replaces the ungraded one (a resubmission). */
  async save(submission: NewSubmission): Promise<SubmissionRecord> {
    const id = submissionId(submission.enrollmentId, submission.lessonKey);
    const doc = {
      ...submission,
      cohortId: new Types.ObjectId(submission.cohortId),
      enrollmentId: new Types.ObjectId(submission.enrollmentId),
      studentId: new Types.ObjectId(submission.studentId),
      status: 'submitted' as const,
    };
    if (submission.revision === 1) {
      await this.submissions.create({ _id: id, ...doc });
    } else {
      await this.submissions.updateOne({ _id: id, status: 'submitted' }, { $set: doc }).exec();
    }
    const saved = await this.find(id);
    // Submissions are never deleted, so the one just written is there: an invariant, not a refusal.
    if (!saved) throw new Error(`submission ${id} vanished`);
    return saved;
  }

  /**
   * Adds grade version `grade.version`; false when another grader added it first. A grade that
   * needs review waits beside the one the student sees; any other replaces it.
   */
  async addGrade(grade: GradeRecord): Promise<boolean> {
    if (!(await insertOnce(this.grades, { _id: `${grade.submissionId}:${grade.version}`, ...grade }))) return false;
    const { submissionId: id, ...latest } = grade;
    const update = grade.needsReview
      ? { $set: { status: 'in_review', pendingGrade: latest, gradeVersion: grade.version } }
      : { $set: { status: 'graded', grade: latest, gradeVersion: grade.version }, $unset: { pendingGrade: 1 } };
    await this.submissions.updateOne({ _id: id }, update).exec();
    return true;
  }

  /**
   * Records a reviewer's decision on the pending grade; false when another reviewer decided first.
   * Approved: the pending grade becomes the one the student sees. Returned: it is set aside and the
   * submission goes back to where it was (graded with the earlier grade, or waiting for one).
   */
  async addReview(review: ReviewRecord, pending: Omit<GradeRecord, 'submissionId'>, hadGrade: boolean) {
    if (!(await insertOnce(this.reviews, { _id: `${review.submissionId}:${review.version}`, ...review }))) return false;
    const { submissionId: id, ...lastReview } = review;
    const set =
      review.decision === 'approved'
        ? { status: 'graded', grade: pending, lastReview }
        : { status: hadGrade ? 'graded' : 'submitted', lastReview };
    await this.submissions.updateOne({ _id: id }, { $set: set, $unset: { pendingGrade: 1 } }).exec();
    return true;
  }

  async reviewsOf(id: string): Promise<ReviewRecord[]> {
    const docs = await this.reviews.find({ submissionId: id }).sort({ version: 1 }).lean<HomeworkReview[]>().exec();
    return docs.map(({ _id, ...review }) => review);
  }

  async assignment(cohortId: string, lessonKey: string): Promise<GradingAssignment | null> {
    const doc = await this.assignmentDocs.findById(`${cohortId}:${lessonKey}`).lean<GradingAssignmentDoc>().exec();
    return doc ? toAssignment(doc) : null;
  }

  async assignments(cohortId: string): Promise<GradingAssignment[]> {
    const docs = await this.assignmentDocs
      .find({ cohortId: new Types.ObjectId(cohortId) })
      .sort({ lessonKey: 1 })
      .lean<GradingAssignmentDoc[]>()
      .exec();
    return docs.map(toAssignment);
  }

  /** Sets a lesson's assignment whole (the last writer wins). */
  async putAssignment(assignment: GradingAssignment, by: string, at: Date): Promise<GradingAssignment> {
    const id = `${assignment.cohortId}:${assignment.lessonKey}`;
    await this.assignmentDocs
      .replaceOne(
        { _id: id },
        { ...assignment, _id: id, cohortId: new Types.ObjectId(assignment.cohortId), updatedBy: by, updatedAt: at },
        { upsert: true },
      )
      .exec();
    return assignment;
  }

  async removeAssignment(cohortId: string, lessonKey: string): Promise<boolean> {
    const result = await this.assignmentDocs.deleteOne({ _id: `${cohortId}:${lessonKey}` }).exec();
    return result.deletedCount > 0;
  }

  async gradeHistory(id: string): Promise<GradeRecord[]> {
    const docs = await this.grades.find({ submissionId: id }).sort({ version: 1 }).lean<HomeworkGrade[]>().exec();
    return docs.map(({ _id, ...grade }) => grade);
  }

  /** The grading queue, in id order; pass the last id as `afterId`. */
  async listPage(
    filter: { cohortId?: string; lessonKey?: string; status?: SubmissionStatus; flagged?: boolean },
    limit: number,
    afterId?: string,
  ): Promise<SubmissionRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.cohortId) query['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (filter.lessonKey) query['lessonKey'] = filter.lessonKey;
    if (filter.status) query['status'] = filter.status;
    if (filter.flagged !== undefined) query['flags.0'] = trusted({ $exists: filter.flagged });
    if (afterId) query['_id'] = trusted({ $gt: afterId });
    const docs = await this.submissions.find(query).sort({ _id: 1 }).limit(limit).lean<HomeworkSubmission[]>().exec();
    return docs.map(toRecord);
  }

  /** How many students of a cohort handed in any homework (counted in the database). */
  async studentsWhoSubmitted(cohortId: string): Promise<number> {
    const [result] = await this.submissions
      .aggregate<{ students: number }>([
        { $match: { cohortId: new Types.ObjectId(cohortId) } },
        { $group: { _id: '$enrollmentId' } },
        { $count: 'students' },
      ])
      .exec();
    return result?.students ?? 0;
  }

  /** A student's submissions in one cohort, by lesson key. */
  async forEnrollment(enrollmentId: string): Promise<Map<string, SubmissionRecord>> {
    const docs = await this.submissions
      .find({ enrollmentId: new Types.ObjectId(enrollmentId) })
      .lean<HomeworkSubmission[]>()
      .exec();
    return new Map(docs.map((d) => [d.lessonKey, toRecord(d)]));
  }
}
