import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Money } from '../common/money';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { OfferView, Order, OrderEvent, OrderStatus, PaymentProvider } from './order.schema';
import { orderReference } from './payment.rules';

export interface OrderRecord {
  id: string;
  reference: string;
  quoteId: string;
  enrollmentId: string;
  studentId: string;
  cohortId: string;
  courseName: string;
  price: Money;
  tier: number;
  provider: PaymentProvider;
  status: OrderStatus;
  referrerStudentId: string | null;
  createdAt: Date;
  paidAt: Date | null;
  paymentReference: string | null;
  refundedAt: Date | null;
  paidEnrollmentId: string | null;
  placementProblem: string | null;
}

export interface OrderEventRecord {
  id: string;
  kind: string;
  amount: Money | null;
  reference: string | null;
  by: string;
  at: Date;
}

export type NewOrder = Omit<
  OrderRecord,
  'id' | 'reference' | 'status' | 'paidAt' | 'paymentReference' | 'refundedAt' | 'paidEnrollmentId' | 'placementProblem'
>;

type StoredOrder = Order & { _id: Types.ObjectId };
const oid = (id: string) => new Types.ObjectId(id);

function toRecord(doc: StoredOrder): OrderRecord {
  const id = doc._id.toHexString();
  return {
    id,
    reference: orderReference(id),
    quoteId: doc.quoteId.toHexString(),
    enrollmentId: doc.enrollmentId.toHexString(),
    studentId: doc.studentId.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    courseName: doc.courseName,
    price: { amount: doc.price.amount, currency: doc.price.currency },
    tier: doc.tier,
    provider: doc.provider,
    status: doc.status,
    referrerStudentId: doc.referrerStudentId?.toHexString() ?? null,
    createdAt: doc.createdAt,
    paidAt: doc.paidAt ?? null,
    paymentReference: doc.paymentReference ?? null,
    refundedAt: doc.refundedAt ?? null,
    paidEnrollmentId: doc.paidEnrollmentId?.toHexString() ?? null,
    placementProblem: doc.placementProblem ?? null,
  };
}

@Injectable()
export class OrdersRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger('Orders');

  constructor(
    @InjectModel(Order.name, COURSE_FUNNEL_CONNECTION) private readonly orders: Model<Order>,
    @InjectModel(OrderEvent.name, COURSE_FUNNEL_CONNECTION) private readonly events: Model<OrderEvent>,
    @InjectModel(OfferView.name, COURSE_FUNNEL_CONNECTION) private readonly views: Model<OfferView>,
  ) {}

  /**
   * Orders stored before a seat had one open order get their seat key: paid ones first, so that
   * where a seat has several, the paid one holds it and the others stay as they are for staff.
   */
  async onApplicationBootstrap(): Promise<void> {
    let keyed = 0;
    for (const status of ['paid', 'pending'] as const) {
      const cursor = this.orders
        .find({ status, openSeat: trusted({ $exists: false }) }, { enrollmentId: 1 })
        .lean<Pick<StoredOrder, '_id' | 'enrollmentId'>>()
        .cursor();
      for await (const doc of cursor) {
        try {
          await this.orders.updateOne({ _id: doc._id }, { $set: { openSeat: doc.enrollmentId } }).exec();
          keyed++;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    }
    if (keyed > 0) this.logger.log({ msg: 'gave earlier orders their seat key', count: keyed });
  }

  /**
   * Creates the order of a quote, unless its seat has an open or paid order already, or the quote
   * was ordered before: then returns that order, with `created: false`.
   */
  async insertForQuote(order: NewOrder): Promise<{ order: OrderRecord; created: boolean }> {
    try {
      const { referrerStudentId, ...rest } = order;
      const created = await retryTransient(() =>
        this.orders.create({
          ...rest,
          quoteId: oid(order.quoteId),
          enrollmentId: oid(order.enrollmentId),
          openSeat: oid(order.enrollmentId),
          studentId: oid(order.studentId),
          cohortId: oid(order.cohortId),
          ...(referrerStudentId ? { referrerStudentId: oid(referrerStudentId) } : {}),
          status: 'pending',
        }),
      );
      return { order: toRecord(created.toObject()), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing =
        (await this.orders
          .findOne({ openSeat: oid(order.enrollmentId) })
          .lean<StoredOrder>()
          .exec()) ??
        (await this.orders
          .findOne({ quoteId: oid(order.quoteId) })
          .lean<StoredOrder>()
          .exec());
      if (!existing) throw error;
      return { order: toRecord(existing), created: false };
    }
  }

  /** A paid order for this seat other than `exceptOrderId` (orders from before one seat had one order). */
  async paidForSeat(enrollmentId: string, exceptOrderId: string): Promise<OrderRecord | null> {
    const doc = await this.orders
      .findOne({ enrollmentId: oid(enrollmentId), status: 'paid', _id: trusted({ $ne: oid(exceptOrderId) }) })
      .lean<StoredOrder>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** Refunded, in one write with freeing its seat for a new order. */
  async markRefunded(id: string, at: Date): Promise<void> {
    await this.orders
      .updateOne({ _id: oid(id) }, { $set: { status: 'refunded', refundedAt: at }, $unset: { openSeat: 1 } })
      .exec();
  }

  async find(id: string): Promise<OrderRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.orders.findById(id).lean<StoredOrder>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Records an event once; false when it was recorded before (a replay, or a race lost). */
  async recordOnce(
    id: string,
    event: { orderId: string; kind: string; amount?: Money; reference?: string; by: string; at: Date },
  ): Promise<boolean> {
    return insertOnce(this.events, { _id: id, ...event, orderId: oid(event.orderId) });
  }

  async eventsOf(orderId: string): Promise<OrderEventRecord[]> {
    const docs = await this.events
      .find({ orderId: oid(orderId) })
      .sort({ at: 1 })
      .lean<OrderEvent[]>()
      .exec();
    return docs.map((d) => ({
      id: d._id,
      kind: d.kind,
      amount: d.amount ? { amount: d.amount.amount, currency: d.amount.currency } : null,
      reference: d.reference ?? null,
      by: d.by,
      at: d.at,
    }));
  }

  /** Applies a state the caller has just won the right to (see recordOnce). */
  async update(
    id: string,
    changes: Partial<{
      status: OrderStatus;
      paidAt: Date;
      paymentReference: string;
      refundedAt: Date;
      paidEnrollmentId: string;
      placementProblem: string;
    }>,
  ): Promise<void> {
    const { paidEnrollmentId, ...rest } = changes;
    await this.orders
      .updateOne(
        { _id: oid(id) },
        { $set: { ...rest, ...(paidEnrollmentId ? { paidEnrollmentId: oid(paidEnrollmentId) } : {}) } },
      )
      .exec();
  }

  async ofStudent(studentId: string): Promise<OrderRecord[]> {
    const docs = await this.orders
      .find({ studentId: oid(studentId) })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean<StoredOrder[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Orders of these cohorts that were paid (refunded ones included), for statements. */
  async paidInCohorts(cohortIds: string[]): Promise<OrderRecord[]> {
    if (cohortIds.length === 0) return [];
    const docs = await this.orders
      .find({ cohortId: trusted({ $in: cohortIds.map(oid) }), paidAt: trusted({ $exists: true }) })
      .sort({ paidAt: 1 })
      .limit(50_000)
      .lean<StoredOrder[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Paid orders of one free-cohort enrolment (price protection looks at them). */
  async paidOfEnrollment(enrollmentId: string): Promise<OrderRecord[]> {
    const docs = await this.orders
      .find({ enrollmentId: oid(enrollmentId), status: 'paid' })
      .lean<StoredOrder[]>()
      .exec();
    return docs.map(toRecord);
  }

  async listPage(
    filter: { cohortId?: string; status?: OrderStatus },
    limit: number,
    afterId?: string,
  ): Promise<OrderRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.cohortId) query['cohortId'] = oid(filter.cohortId);
    if (filter.status) query['status'] = filter.status;
    if (afterId) query['_id'] = trusted({ $gt: oid(afterId) });
    const docs = await this.orders.find(query).sort({ _id: 1 }).limit(limit).lean<StoredOrder[]>().exec();
    return docs.map(toRecord);
  }

  /** Paid, not refunded orders of buyers this student referred, since `since` (levels and their review). */
  countPaidReferred(referrerStudentId: string, since?: Date): Promise<number> {
    return this.orders
      .countDocuments({
        referrerStudentId: oid(referrerStudentId),
        status: 'paid',
        ...(since ? { paidAt: trusted({ $gte: since }) } : {}),
      })
      .exec();
  }

  /** A cohort's funnel figures: students who ordered, and who paid (refunds excluded). */
  async cohortFigures(cohortId: string): Promise<{ ordered: number; paid: number; offerViews: number }> {
    const cohort = oid(cohortId);
    const [ordered, paid, offerViews] = await Promise.all([
      this.orders.distinct('enrollmentId', { cohortId: cohort }).exec(),
      this.orders.distinct('enrollmentId', { cohortId: cohort, status: 'paid' }).exec(),
      this.views.countDocuments({ cohortId: cohort }).exec(),
    ]);
    return { ordered: ordered.length, paid: paid.length, offerViews };
  }

  async recordOfferView(enrollmentId: string, cohortId: string, at: Date): Promise<void> {
    await insertOnce(this.views, { _id: enrollmentId, cohortId: oid(cohortId), at });
  }
}
