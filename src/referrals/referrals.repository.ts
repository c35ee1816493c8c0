import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { ReferralRefusal } from './referral.rules';
import { Referral, ReferralCode, ReferralRefusalDoc, ReferralReview, ReferralStatus } from './referral.schema';

export interface ReferralCodeRecord {
  code: string;
  enrollmentId: string;
  studentId: string;
  cohortId: string;
  funnelId: string;
  identity: string;
}

export interface ReferralRecord {
  id: string;
  refereeEnrollmentId: string;
  code: string;
  referrerEnrollmentId: string;
  referrerStudentId: string;
  referrerCohortId: string;
  refereeStudentId: string;
  funnelId: string;
  cohortId: string;
  status: ReferralStatus;
  flags: string[];
  review: ReferralReview;
  reviewedBy: string | null;
  createdAt: Date;
  qualifiedAt: Date | null;
}

export type NewReferral = Omit<ReferralRecord, 'id' | 'status' | 'reviewedBy' | 'qualifiedAt'> & { ip?: string };

/** Referrals that lower a price and count for levels: qualified, and not held or rejected. */
const COUNTED_REVIEWS: ReferralReview[] = ['none', 'approved'];
const COUNTED = { status: 'qualified' as const, review: trusted({ $in: COUNTED_REVIEWS }) };

const oid = (id: string) => new Types.ObjectId(id);

function toCode(doc: ReferralCode): ReferralCodeRecord {
  return {
    code: doc._id,
    enrollmentId: doc.enrollmentId.toHexString(),
    studentId: doc.studentId.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    funnelId: doc.funnelId.toHexString(),
    identity: doc.identity,
  };
}

function toReferral(doc: Referral): ReferralRecord {
  return {
    id: doc._id,
    refereeEnrollmentId: doc._id,
    code: doc.code,
    referrerEnrollmentId: doc.referrerEnrollmentId.toHexString(),
    referrerStudentId: doc.referrerStudentId.toHexString(),
    referrerCohortId: doc.referrerCohortId.toHexString(),
    refereeStudentId: doc.refereeStudentId.toHexString(),
    funnelId: doc.funnelId.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    status: doc.status,
    flags: doc.flags ?? [],
    review: doc.review,
    reviewedBy: doc.reviewedBy ?? null,
    createdAt: doc.createdAt,
    qualifiedAt: doc.qualifiedAt ?? null,
  };
}

@Injectable()
export class ReferralsRepository {
  constructor(
    @InjectModel(ReferralCode.name, COURSE_FUNNEL_CONNECTION) private readonly codes: Model<ReferralCode>,
    @InjectModel(Referral.name, COURSE_FUNNEL_CONNECTION) private readonly referrals: Model<Referral>,
    @InjectModel(ReferralRefusalDoc.name, COURSE_FUNNEL_CONNECTION)
    private readonly refusals: Model<ReferralRefusalDoc>,
  ) {}

  async codeOfEnrollment(enrollmentId: string): Promise<ReferralCodeRecord | null> {
    const doc = await this.codes
      .findOne({ enrollmentId: oid(enrollmentId) })
      .lean<ReferralCode>()
      .exec();
    return doc ? toCode(doc) : null;
  }

  /** The codes of a batch of enrolments (a fan-out's), by enrolment id; one query on its unique index. */
  async codesOfEnrollments(enrollmentIds: string[]): Promise<Map<string, string>> {
    if (enrollmentIds.length === 0) return new Map();
    const docs = await this.codes
      .find({ enrollmentId: { $in: enrollmentIds.map(oid) } }, { _id: 1, enrollmentId: 1 })
      .lean<Pick<ReferralCode, '_id' | 'enrollmentId'>[]>()
      .exec();
    return new Map(docs.map((d) => [d.enrollmentId.toString(), d._id]));
  }

  async findCode(code: string): Promise<ReferralCodeRecord | null> {
    const doc = await this.codes.findById(code).lean<ReferralCode>().exec();
    return doc ? toCode(doc) : null;
  }

  /** Inserts a code; 'taken' when the code exists, 'has-code' when the enrolment already has one. */
  async insertCode(record: ReferralCodeRecord, at: Date): Promise<'ok' | 'taken' | 'has-code'> {
    try {
      await retryTransient(() =>
        this.codes.create({
          _id: record.code,
          enrollmentId: oid(record.enrollmentId),
          studentId: oid(record.studentId),
          cohortId: oid(record.cohortId),
          funnelId: oid(record.funnelId),
          identity: record.identity,
          createdAt: at,
        }),
      );
      return 'ok';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await this.codeOfEnrollment(record.enrollmentId)) ? 'has-code' : 'taken';
    }
  }

  async find(refereeEnrollmentId: string): Promise<ReferralRecord | null> {
    const doc = await this.referrals.findById(refereeEnrollmentId).lean<Referral>().exec();
    return doc ? toReferral(doc) : null;
  }

  /** Attributes a referee; false when they already have a referral (the first valid code won). */
  async insert(referral: NewReferral): Promise<boolean> {
    return insertOnce(this.referrals, {
      _id: referral.refereeEnrollmentId,
      code: referral.code,
      referrerEnrollmentId: oid(referral.referrerEnrollmentId),
      referrerStudentId: oid(referral.referrerStudentId),
      referrerCohortId: oid(referral.referrerCohortId),
      refereeStudentId: oid(referral.refereeStudentId),
      funnelId: oid(referral.funnelId),
      cohortId: oid(referral.cohortId),
      status: 'pending',
      flags: referral.flags,
      review: referral.review,
      ...(referral.ip ? { ip: referral.ip } : {}),
      createdAt: referral.createdAt,
    });
  }

  async recordRefusal(
    refusal: { code: string; refereeEnrollmentId: string; cohortId: string; reason: ReferralRefusal },
    at: Date,
  ): Promise<void> {
    await insertOnce(this.refusals, {
      _id: `${refusal.refereeEnrollmentId}:${refusal.code}`,
      code: refusal.code,
      refereeEnrollmentId: oid(refusal.refereeEnrollmentId),
      cohortId: oid(refusal.cohortId),
      reason: refusal.reason,
      at,
    });
  }

  /** Why the latest code this enrolment signed up with was refused, if one was. */
  async latestRefusal(refereeEnrollmentId: string): Promise<ReferralRefusal | null> {
    const doc = await this.refusals
      .findOne({ refereeEnrollmentId: oid(refereeEnrollmentId) })
      .sort({ at: -1 })
      .lean<ReferralRefusalDoc>()
      .exec();
    return doc?.reason ?? null;
  }

  /** Marks a pending referral qualified; each referral is its own document, so counts stay exact. */
  async markQualified(refereeEnrollmentId: string, at: Date): Promise<void> {
    await this.referrals
      .updateOne({ _id: refereeEnrollmentId, status: 'pending' }, { $set: { status: 'qualified', qualifiedAt: at } })
      .exec();
  }

  async setReview(refereeEnrollmentId: string, review: ReferralReview, by: string, at: Date): Promise<void> {
    await this.referrals
      .updateOne({ _id: refereeEnrollmentId }, { $set: { review, reviewedBy: by, reviewedAt: at } })
      .exec();
  }

  /** Qualified referrals of one referrer enrolment that count (not held, not rejected). */
  countCounted(referrer: { enrollmentId: string } | { studentId: string }): Promise<number> {
    return this.referrals
      .countDocuments({
        ...('enrollmentId' in referrer
          ? { referrerEnrollmentId: oid(referrer.enrollmentId) }
          : { referrerStudentId: oid(referrer.studentId) }),
        ...COUNTED,
      })
      .exec();
  }

  /** Counted referrals for many referrer enrolments at once (a fan-out batch). */
  async countedByReferrer(referrerEnrollmentIds: string[]): Promise<Map<string, number>> {
    const counts = new Map(referrerEnrollmentIds.map((id) => [id, 0]));
    if (referrerEnrollmentIds.length === 0) return counts;
    const docs = await this.referrals
      .find({
        referrerEnrollmentId: trusted({ $in: referrerEnrollmentIds.map(oid) }),
        ...COUNTED,
      })
      .select({ referrerEnrollmentId: 1 })
      .lean<Pick<Referral, 'referrerEnrollmentId'>[]>()
      .exec();
    for (const doc of docs) {
      const id = doc.referrerEnrollmentId.toHexString();
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** A referrer's referrals, newest first. */
  async ofReferrer(referrerEnrollmentId: string, limit: number): Promise<ReferralRecord[]> {
    const docs = await this.referrals
      .find({ referrerEnrollmentId: oid(referrerEnrollmentId) })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<Referral[]>()
      .exec();
    return docs.map(toReferral);
  }

  /** How active a referring student has been (for the suspicion flags). */
  async activity(
    referrerStudentId: string,
    since: { burst: Date; matured: Date },
    ip: string | undefined,
  ): Promise<{ recent: number; sameIp: number; matured: number; maturedQualified: number }> {
    const referrer = oid(referrerStudentId);
    const [recent, sameIp, matured, maturedQualified] = await Promise.all([
      this.referrals.countDocuments({ referrerStudentId: referrer, createdAt: trusted({ $gte: since.burst }) }).exec(),
      ip ? this.referrals.countDocuments({ referrerStudentId: referrer, ip }).exec() : Promise.resolve(0),
      this.referrals
        .countDocuments({ referrerStudentId: referrer, createdAt: trusted({ $lte: since.matured }) })
        .exec(),
      this.referrals
        .countDocuments({
          referrerStudentId: referrer,
          createdAt: trusted({ $lte: since.matured }),
          status: 'qualified',
        })
        .exec(),
    ]);
    return { recent, sameIp, matured, maturedQualified };
  }

  /** Who referred this student (their first attributed referral), if anyone. */
  async referrerOf(refereeStudentId: string): Promise<ReferralRecord | null> {
    const doc = await this.referrals
      .findOne({ refereeStudentId: oid(refereeStudentId), review: trusted({ $ne: 'rejected' }) })
      .sort({ createdAt: 1 })
      .lean<Referral>()
      .exec();
    return doc ? toReferral(doc) : null;
  }

  /** Students a student referred, at most `limit`, by distinct referee. */
  async refereesOf(referrerStudentId: string, limit: number): Promise<string[]> {
    const ids = await this.referrals
      .distinct('refereeStudentId', { referrerStudentId: oid(referrerStudentId), review: trusted({ $ne: 'rejected' }) })
      .exec();
    return ids.slice(0, limit).map((id) => id.toHexString());
  }

  async listByReview(review: ReferralReview, limit: number, afterId?: string): Promise<ReferralRecord[]> {
    const docs = await this.referrals
      .find({ review, ...(afterId ? { _id: trusted({ $gt: afterId }) } : {}) })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Referral[]>()
      .exec();
    return docs.map(toReferral);
  }

  /** Referrals made by a cohort's students, in referee order (cursor: the last id). */
  async ofReferrerCohort(cohortId: string, limit: number, afterId?: string): Promise<ReferralRecord[]> {
    const docs = await this.referrals
      .find({ referrerCohortId: oid(cohortId), ...(afterId ? { _id: trusted({ $gt: afterId }) } : {}) })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Referral[]>()
      .exec();
    return docs.map(toReferral);
  }

  /**
   * The cohort's students who invited the most (the leaderboard), with how many of their invites
   * qualified. Two plain groupings rather than one with $cond, which not every engine here runs.
   */
  async topReferrers(
    cohortId: string,
    limit: number,
  ): Promise<{ referrerEnrollmentId: string; invites: number; qualified: number }[]> {
    const grouped = (match: Record<string, unknown>) =>
      this.referrals
        .aggregate<{ _id: Types.ObjectId; n: number }>([
          { $match: { referrerCohortId: oid(cohortId), ...match } },
          { $group: { _id: '$referrerEnrollmentId', n: { $sum: 1 } } },
          { $sort: { n: -1, _id: 1 } },
          { $limit: limit },
        ])
        .exec();
    const top = await grouped({});
    const qualified = new Map(
      (await grouped({ status: 'qualified', referrerEnrollmentId: { $in: top.map((t) => t._id) } })).map((q) => [
        q._id.toHexString(),
        q.n,
      ]),
    );
    return top.map((t) => ({
      referrerEnrollmentId: t._id.toHexString(),
      invites: t.n,
      qualified: qualified.get(t._id.toHexString()) ?? 0,
    }));
  }

  /** Invitations made by a cohort's students, and how many of them qualified. */
  async cohortFigures(cohortId: string): Promise<{ invites: number; qualified: number }> {
    const referrer = { referrerCohortId: oid(cohortId) };
    const [invites, qualified] = await Promise.all([
      this.referrals.countDocuments(referrer).exec(),
      this.referrals.countDocuments({ ...referrer, status: 'qualified' }).exec(),
    ]);
    return { invites, qualified };
  }
}
