import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Money } from '../common/money';

export const ORDER_STATUSES = ['pending', 'paid', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_PROVIDERS = ['manual', 'webhook'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** A purchase of the paid course at a quoted price. One order per quote. */
@Schema({ collection: 'cf_orders', strictQuery: 'throw', versionKey: false })
export class Order {
  @Prop({ type: Types.ObjectId, required: true })
  quoteId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  /** The free cohort whose offer this is. */
  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ required: true })
  courseName!: string;

  @Prop({ type: { amount: Number, currency: String }, required: true, _id: false })
  price!: Money;

  @Prop({ required: true })
  tier!: number;

  @Prop({ type: String, required: true, enum: PAYMENT_PROVIDERS })
  provider!: PaymentProvider;

  @Prop({ type: String, required: true, enum: ORDER_STATUSES })
  status!: OrderStatus;

  /** Who referred the buyer, when someone did (commissions and paid-referral counts). */
  @Prop({ type: Types.ObjectId })
  referrerStudentId?: Types.ObjectId;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  paidAt?: Date;

  /** The provider's payment id, or the reference staff recorded for an offline payment. */
  @Prop()
  paymentReference?: string;

  @Prop()
  refundedAt?: Date;

  /** The buyer's place in the paid course's cohort. */
  @Prop({ type: Types.ObjectId })
  paidEnrollmentId?: Types.ObjectId;

  /** Why the buyer has no place yet (e.g. the paid cohort was full), for staff. */
  @Prop()
  placementProblem?: string;

  /**
   * The enrolment, while this order is open or paid; unset by a refund. Unique: one seat has one
   * open or paid order, so a double click or a second quote cannot buy it twice.
   */
  @Prop({ type: Types.ObjectId })
  openSeat?: Types.ObjectId;
}

export const OrderSchema = SchemaFactory.createForClass(Order);
// One order per quote: a retried checkout finds the first (OrdersRepository.insertForQuote).
OrderSchema.index({ quoteId: 1 }, { unique: true });
// One open or paid order per seat, however many checkouts race (insertForQuote; markRefunded frees it).
OrderSchema.index({ openSeat: 1 }, { unique: true, sparse: true });
// OrdersRepository.ofStudent: a student's orders, newest first (/api/me/orders).
OrderSchema.index({ studentId: 1, createdAt: -1 });
// listPage by cohort and status (staff list), cohortFigures (funnel report), paidInCohorts (statements).
OrderSchema.index({ cohortId: 1, status: 1 });
// paidOfEnrollment (price protection) and paidForSeat (payment): a seat's paid orders.
OrderSchema.index({ enrollmentId: 1, status: 1 });
// countPaidReferred: a referrer's paid referred sales since a date (promotion and its review).
OrderSchema.index({ referrerStudentId: 1, status: 1, paidAt: 1 });

/**
 * Something that may happen to an order once, decided by inserting it: `${orderId}:paid`,
 * `${orderId}:refunded`, `${orderId}:protection:tier<N>` (a price-protection refund), and a
 * provider's `webhook:<eventId>`, so a replayed or concurrent call changes nothing twice.
 */
@Schema({ collection: 'cf_order_events', strictQuery: 'throw', versionKey: false })
export class OrderEvent {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  orderId!: Types.ObjectId;

  @Prop({ required: true })
  kind!: string;

  /** Money moved by the event (payments and refunds). */
  @Prop({ type: { amount: Number, currency: String }, _id: false })
  amount?: Money;

  @Prop()
  reference?: string;

  @Prop({ required: true })
  by!: string;

  @Prop({ required: true })
  at!: Date;
}

export const OrderEventSchema = SchemaFactory.createForClass(OrderEvent);
// OrdersRepository.eventsOf: an order's history in time order (GET /api/orders/:id).
OrderEventSchema.index({ orderId: 1, at: 1 });

/** A student opened their offer page (funnel analytics), once per enrolment. */
@Schema({ collection: 'cf_offer_views', strictQuery: 'throw', versionKey: false })
export class OfferView {
  /** The enrolment id. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ required: true })
  at!: Date;
}

export const OfferViewSchema = SchemaFactory.createForClass(OfferView);
// OrdersRepository.cohortFigures: offer pages opened in a cohort (the funnel report).
OfferViewSchema.index({ cohortId: 1 });
