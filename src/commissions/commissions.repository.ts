import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Money } from '../common/money';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { Commission, CommissionSettlement, LevelChange, StudentLevel } from './commission.schema';
import { Level } from './promotion.rules';

export interface CommissionRecord {
  id: string;
  orderId: string;
  beneficiaryStudentId: string;
  buyerEnrollmentId: string;
  depth: number;
  level: Level;
  basisPoints: number;
  amount: Money;
  held: boolean;
  payableAt: Date;
  createdAt: Date;
  settled: 'paid' | 'reversed' | null;
  settledAt: Date | null;
  payoutId: string | null;
}

export interface LevelRecord {
  studentId: string;
  level: Level;
  since: Date | null;
  reviewDue: boolean;
  reviewReason: string | null;
}

export type LevelChangeRecord = Omit<LevelChange, '_id'> & { id: string };

function toLevel(doc: StudentLevel): LevelRecord {
  return {
    studentId: doc._id,
    level: doc.level,
    since: doc.since,
    reviewDue: doc.reviewDue,
    reviewReason: doc.reviewReason ?? null,
  };
}

function toCommission(doc: Commission): CommissionRecord {
  return {
    id: doc._id,
    orderId: doc.orderId.toHexString(),
    beneficiaryStudentId: doc.beneficiaryStudentId,
    buyerEnrollmentId: doc.buyerEnrollmentId,
    depth: doc.depth,
    level: doc.level,
    basisPoints: doc.basisPoints,
    amount: { amount: doc.amount.amount, currency: doc.amount.currency },
    held: doc.held,
    payableAt: doc.payableAt,
    createdAt: doc.createdAt,
    settled: doc.settled ?? null,
    settledAt: doc.settledAt ?? null,
    payoutId: doc.payoutId ?? null,
  };
}

@Injectable()
export class CommissionsRepository {
  constructor(
    @InjectModel(Commission.name, COURSE_FUNNEL_CONNECTION) private readonly commissions: Model<Commission>,
    @InjectModel(CommissionSettlement.name, COURSE_FUNNEL_CONNECTION)
    private readonly settlements: Model<CommissionSettlement>,
    @InjectModel(StudentLevel.name, COURSE_FUNNEL_CONNECTION) private readonly levels: Model<StudentLevel>,
    @InjectModel(LevelChange.name, COURSE_FUNNEL_CONNECTION) private readonly changes: Model<LevelChange>,
  ) {}

  /** Writes an order's entry once (a second order.paid for the same order adds nothing). */
  addEntry(entry: Omit<CommissionRecord, 'settled' | 'settledAt' | 'payoutId'>): Promise<boolean> {
    const { id, orderId, ...rest } = entry;
    return insertOnce(this.commissions, { _id: id, orderId: new Types.ObjectId(orderId), ...rest });
  }

  /** Settles an entry once: whichever of a payout and a refund comes first wins. */
  async settle(entryId: string, kind: 'paid' | 'reversed', by: string, at: Date, payoutId?: string): Promise<boolean> {
    const won = await insertOnce(this.settlements, {
      _id: entryId,
      kind,
      by,
      at,
      ...(payoutId ? { payoutId } : {}),
    });
    if (won) {
      await this.commissions
        .updateOne({ _id: entryId }, { $set: { settled: kind, settledAt: at, ...(payoutId ? { payoutId } : {}) } })
        .exec();
    }
    return won;
  }

  async ofOrder(orderId: string): Promise<CommissionRecord[]> {
    const docs = await this.commissions
      .find({ orderId: new Types.ObjectId(orderId) })
      .lean<Commission[]>()
      .exec();
    return docs.map(toCommission);
  }

  async ofBuyerEnrollment(enrollmentId: string): Promise<CommissionRecord[]> {
    const docs = await this.commissions.find({ buyerEnrollmentId: enrollmentId }).lean<Commission[]>().exec();
    return docs.map(toCommission);
  }

  async setHeld(entryId: string, held: boolean): Promise<void> {
    await this.commissions.updateOne({ _id: entryId }, { $set: { held } }).exec();
  }

  /** A beneficiary's entries, oldest first, optionally within [from, to). */
  async ofBeneficiary(studentId: string, period?: { from?: Date; to?: Date }): Promise<CommissionRecord[]> {
    const createdAt: Record<string, Date> = {};
    if (period?.from) createdAt['$gte'] = period.from;
    if (period?.to) createdAt['$lt'] = period.to;
    const docs = await this.commissions
      .find({
        beneficiaryStudentId: studentId,
        ...(Object.keys(createdAt).length ? { createdAt: trusted(createdAt) } : {}),
      })
      .sort({ createdAt: 1, _id: 1 })
      .limit(10_000)
      .lean<Commission[]>()
      .exec();
    return docs.map(toCommission);
  }

  async level(studentId: string): Promise<LevelRecord> {
    const doc = await this.levels.findById(studentId).lean<StudentLevel>().exec();
    return {
      studentId,
      level: doc?.level ?? 'member',
      since: doc?.since ?? null,
      reviewDue: doc?.reviewDue ?? false,
      reviewReason: doc?.reviewReason ?? null,
    };
  }

  async levelsOf(studentIds: string[]): Promise<Map<string, Level>> {
    const docs = await this.levels
      .find({ _id: trusted({ $in: studentIds }) })
      .lean<StudentLevel[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, d.level]));
  }

  /** Records a change once (by id) and applies it; false when it was recorded before. */
  async changeLevel(change: LevelChangeRecord): Promise<boolean> {
    const { id, ...rest } = change;
    if (!(await insertOnce(this.changes, { _id: id, ...rest }))) return false;
    await this.levels
      .updateOne(
        { _id: change.studentId },
        { $set: { level: change.to, since: change.at, reviewDue: false }, $unset: { reviewReason: 1 } },
        { upsert: true },
      )
      .exec();
    return true;
  }

  async history(studentId: string): Promise<LevelChangeRecord[]> {
    const docs = await this.changes.find({ studentId }).sort({ at: 1 }).lean<LevelChange[]>().exec();
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  async markReview(studentId: string, due: boolean, reason?: string): Promise<void> {
    await this.levels
      .updateOne(
        { _id: studentId },
        due
          ? { $set: { reviewDue: true, reviewReason: reason } }
          : { $set: { reviewDue: false }, $unset: { reviewReason: 1 } },
      )
      .exec();
  }

  /** Agents and partners, page by page (the maintenance review). */
  async promoted(limit: number, afterId?: string): Promise<LevelRecord[]> {
    const docs = await this.levels
      .find({ level: trusted({ $ne: 'member' }), ...(afterId ? { _id: trusted({ $gt: afterId }) } : {}) })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<StudentLevel[]>()
      .exec();
    return docs.map(toLevel);
  }

  async dueForReview(): Promise<LevelRecord[]> {
    const docs = await this.levels.find({ reviewDue: true }).sort({ _id: 1 }).limit(500).lean<StudentLevel[]>().exec();
    return docs.map(toLevel);
  }
}
