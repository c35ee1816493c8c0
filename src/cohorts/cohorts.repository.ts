import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Tenancy, tenancyFilter } from '../common/tenancy';
import { AttendancePolicy, DEFAULT_ATTENDANCE_POLICY } from './cohort-policies';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { CompletionRule, DEFAULT_COMPLETION_RULE } from './cohort-policies';
import { Cohort } from './cohort.schema';
import { CohortStatus, ReleaseClock, ScheduledLesson } from './cohort.rules';

export interface CohortRecord {
  id: string;
  funnelId: string;
  funnelVersion: number;
  name: string;
  status: CohortStatus;
  startAt: Date;
  timezone: string;
  releaseClock: ReleaseClock;
  capacity: number;
  reminderMinutesBefore: number | null;
  evergreen: boolean;
  enrollmentOpensAt: Date | null;
  enrollmentClosesAt: Date | null;
  lessons: ScheduledLesson[];
  offerDeadlineAt: Date;
  /** When check-in opens, when arriving counts as late and when the window closes. */
  attendance: AttendancePolicy;
  /** What a student must attend and pass to complete the cohort. */
  completion: CompletionRule;
  /** The paid course's cohort that buyers of this cohort's offer are enrolled in. */
  paidCohortId: string | null;
  /** Set for a partner's cohort: its organisation, license and territory. */
  organizationId: string | null;
  licenseId: string | null;
  territory: string | null;
  createdBy: string;
  createdAt: Date;
  cancelledAt: Date | null;
  /** Opened or moved with catchUp at this instant: the classes due by then go out as one catch-up. */
  catchUpUntil: Date | null;
  /** When its start last moved (null: never); the students' calendars and a notice follow it. */
  rescheduledAt: Date | null;
}

export type NewCohort = Omit<CohortRecord, 'id' | 'cancelledAt' | 'catchUpUntil' | 'rescheduledAt'>;

type StoredCohort = Cohort & { _id: Types.ObjectId };

function toRecord(doc: StoredCohort): CohortRecord {
  return {
    id: doc._id.toHexString(),
    funnelId: doc.funnelId.toHexString(),
    funnelVersion: doc.funnelVersion,
    name: doc.name,
    status: doc.status,
    startAt: doc.startAt,
    timezone: doc.timezone,
    releaseClock: doc.releaseClock,
    capacity: doc.capacity,
    reminderMinutesBefore: doc.reminderMinutesBefore ?? null,
    evergreen: doc.evergreen ?? false,
    enrollmentOpensAt: doc.enrollmentOpensAt ?? null,
    enrollmentClosesAt: doc.enrollmentClosesAt ?? null,
    lessons: doc.lessons.map(({ key, phase, title, releaseAt }) => ({ key, phase, title, releaseAt })),
    offerDeadlineAt: doc.offerDeadlineAt,
    attendance: { ...DEFAULT_ATTENDANCE_POLICY, ...doc.attendance },
    completion: { ...DEFAULT_COMPLETION_RULE, ...doc.completion },
    paidCohortId: doc.paidCohortId?.toHexString() ?? null,
    organizationId: doc.organizationId ?? null,
    licenseId: doc.licenseId ?? null,
    territory: doc.territory ?? null,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    cancelledAt: doc.cancelledAt ?? null,
    catchUpUntil: doc.catchUpUntil ?? null,
    rescheduledAt: doc.rescheduledAt ?? null,
  };
}

@Injectable()
export class CohortsRepository {
  constructor(@InjectModel(Cohort.name, COURSE_FUNNEL_CONNECTION) private readonly cohorts: Model<Cohort>) {}

  async insert(cohort: NewCohort): Promise<CohortRecord> {
    const {
      enrollmentOpensAt,
      enrollmentClosesAt,
      funnelId,
      reminderMinutesBefore,
      paidCohortId,
      organizationId,
      licenseId,
      territory,
      ...rest
    } = cohort;
    const created = await this.cohorts.create({
      ...rest,
      ...(organizationId ? { organizationId } : {}),
      ...(licenseId ? { licenseId } : {}),
      ...(territory ? { territory } : {}),
      ...(paidCohortId ? { paidCohortId: new Types.ObjectId(paidCohortId) } : {}),
      ...(reminderMinutesBefore ? { reminderMinutesBefore } : {}),
      funnelId: new Types.ObjectId(funnelId),
      ...(enrollmentOpensAt ? { enrollmentOpensAt } : {}),
      ...(enrollmentClosesAt ? { enrollmentClosesAt } : {}),
    });
    return toRecord(created.toObject());
  }

  /** The cohort, if it is within the tenancy. */
  async findById(id: string, tenancy: Tenancy): Promise<CohortRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.cohorts
      .findOne({ _id: new Types.ObjectId(id), ...tenancyFilter(tenancy) })
      .lean<StoredCohort>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** A page of cohorts of the tenancy's organisation(s), in id order. */
  async listPage(
    filter: { funnelId?: string; status?: CohortStatus; licenseId?: string },
    tenancy: Tenancy,
    limit: number,
    afterId?: string,
  ): Promise<CohortRecord[]> {
    const query: Record<string, unknown> = { ...tenancyFilter(tenancy) };
    if (filter.licenseId) query['licenseId'] = filter.licenseId;
    if (filter.funnelId) query['funnelId'] = new Types.ObjectId(filter.funnelId);
    if (filter.status) query['status'] = filter.status;
    if (afterId) query['_id'] = trusted({ $gt: new Types.ObjectId(afterId) });
    const docs = await this.cohorts.find(query).sort({ _id: 1 }).limit(limit).lean<StoredCohort[]>().exec();
    return docs.map(toRecord);
  }

  /**
   * Applies `changes` only while the cohort is in one of `from`. Null when it is not (or does not
   * exist). On MongoDB the condition and the write are one atomic step.
   */
  async updateWhenStatus(
    id: string,
    from: readonly CohortStatus[],
    changes: Partial<
      Pick<
        CohortRecord,
        'status' | 'startAt' | 'lessons' | 'offerDeadlineAt' | 'cancelledAt' | 'catchUpUntil' | 'rescheduledAt'
      >
    >,
  ): Promise<CohortRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.cohorts
      .findOneAndUpdate(
        { _id: id, status: trusted({ $in: [...from] }) },
        { $set: changes },
        { returnDocument: 'after' },
      )
      .lean<StoredCohort>()
      .exec();
    return doc ? toRecord(doc) : null;
  }
}
