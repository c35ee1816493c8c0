import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { HomeworkGrade, HomeworkSubmission, SubmissionStatus } from './homework.schema';

export type GradeRecord = Omit<HomeworkGrade, '_id'>;

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
  grade: Omit<GradeRecord, 'submissionId'> | null;
}

export type NewSubmission = Omit<SubmissionRecord, 'id' | 'status' | 'grade'>;

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
  };
}

@Injectable()
export class HomeworkRepository {
  constructor(
    @InjectModel(HomeworkSubmission.name, COURSE_FUNNEL_CONNECTION)
    private readonly submissions: Model<HomeworkSubmission>,
    @InjectModel(HomeworkGrade.name, COURSE_FUNNEL_CONNECTION) private readonly grades: Model<HomeworkGrade>,
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
    if (!saved) throw new Error(`submission ${id} vanished`);
    return saved;
  }

  /** Adds grade version `grade.version`; false when another grader added it first. */
  async addGrade(grade: GradeRecord): Promise<boolean> {
    try {
      await this.grades.create({ _id: `${grade.submissionId}:${grade.version}`, ...grade });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    const { submissionId: id, ...latest } = grade;
    await this.submissions.updateOne({ _id: id }, { $set: { status: 'graded', grade: latest } }).exec();
    return true;
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

  /** A student's submissions in one cohort, by lesson key. */
  async forEnrollment(enrollmentId: string): Promise<Map<string, SubmissionRecord>> {
    const docs = await this.submissions
      .find({ enrollmentId: new Types.ObjectId(enrollmentId) })
      .lean<HomeworkSubmission[]>()
      .exec();
    return new Map(docs.map((d) => [d.lessonKey, toRecord(d)]));
  }
}
