import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Clock } from '../common/clock';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { Student } from './student.schema';

export interface StudentRecord {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  timezone: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewStudent {
  email: string;
  emailKey: string;
  name: string;
  locale: Locale;
  timezone?: string;
}

export type StudentChanges = Partial<Pick<StudentRecord, 'name' | 'locale'>> & { timezone?: string | null };

type StoredStudent = Student & { _id: Types.ObjectId };

function toRecord(doc: StoredStudent): StudentRecord {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name,
    locale: doc.locale,
    timezone: doc.timezone ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

@Injectable()
export class StudentsRepository {
  constructor(
    @InjectModel(Student.name, COURSE_FUNNEL_CONNECTION) private readonly students: Model<Student>,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the student, or returns the one already registered under the same email key; `created`
   * tells which. The unique emailKey index decides: an insert that meets it reads the winner. (Not
   * an upsert's metadata: FerretDB 2 reports an upsert that matched and changed nothing as
   * `updatedExisting: false`, as if it had created the document.)
   */
  async findOrCreate(student: NewStudent): Promise<{ student: StudentRecord; created: boolean }> {
    const now = this.clock.now();
    try {
      const created = await retryTransient(() =>
        this.students.insertOne({ ...student, createdAt: now, updatedAt: now }, { timestamps: false }),
      );
      return { student: toRecord(created.toObject<StoredStudent>()), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByEmailKey(student.emailKey);
      if (!existing) throw error;
      return { student: existing, created: false };
    }
  }

  async findById(id: string): Promise<StudentRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.students.findById(id).lean<StoredStudent>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findByEmailKey(emailKey: string): Promise<StudentRecord | null> {
    const doc = await this.students.findOne({ emailKey }).lean<StoredStudent>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** A page in `_id` order; pass the last id of a page as `afterId` to get the next one. */
  async listPage(filter: { emailKey?: string }, limit: number, afterId?: string): Promise<StudentRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.emailKey !== undefined) query['emailKey'] = filter.emailKey;
    if (afterId) query['_id'] = trusted({ $gt: new Types.ObjectId(afterId) });
    const docs = await this.students.find(query).sort({ _id: 1 }).limit(limit).lean<StoredStudent[]>().exec();
    return docs.map(toRecord);
  }

  async update(id: string, changes: StudentChanges): Promise<StudentRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const $set: Record<string, unknown> = { updatedAt: this.clock.now() };
    const $unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) $unset[key] = 1;
      else $set[key] = value;
    }
    const update = Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
    const doc = await this.students
      .findByIdAndUpdate(id, update, { returnDocument: 'after', timestamps: false })
      .lean<StoredStudent>()
      .exec();
    return doc ? toRecord(doc) : null;
  }
}
