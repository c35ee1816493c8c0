import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Money } from '../common/money';
import { CHANGEABLE_PARTS, ChangeablePart, PriceBounds } from './license.rules';

const MONEY = { amount: Number, currency: String };

/** A funnel template licensed to a partner organisation for a territory and a term. */
@Schema({ collection: 'cf_licenses', strictQuery: 'throw', versionKey: false })
export class License {
  /** The licensed template (a platform funnel, or for a sub-license its licensor's clone's source). */
  @Prop({ required: true })
  funnelId!: string;

  /** Who grants it: the platform (none) or, for a sub-license, the parent license's organisation. */
  @Prop()
  licensorOrganizationId?: string;

  @Prop({ required: true })
  licenseeOrganizationId!: string;

  @Prop()
  parentLicenseId?: string;

  /** Hierarchical code, e.g. CN/44/4403. */
  @Prop({ required: true })
  territory!: string;

  @Prop({ required: true })
  exclusive!: boolean;

  @Prop({ required: true })
  startsAt!: Date;

  @Prop({ required: true })
  endsAt!: Date;

  @Prop({ type: MONEY, required: true, _id: false })
  fee!: Money;

  /** The licensor's share of each sale in the licensee's cohorts. */
  @Prop({ required: true })
  revenueShareBasisPoints!: number;

  @Prop({ type: { floor: MONEY, ceiling: MONEY }, required: true, _id: false })
  priceBounds!: PriceBounds;

  @Prop({ type: [String], enum: CHANGEABLE_PARTS, default: [] })
  allowedChanges!: ChangeablePart[];

  @Prop({ required: true })
  sublicensing!: boolean;

  @Prop({ type: String, required: true, enum: ['active', 'revoked'] })
  status!: 'active' | 'revoked';

  /** How many times the term was extended (each renewal records its fee). */
  @Prop({ default: 0 })
  renewals!: number;

  @Prop()
  revokedAt?: Date;

  /** The licensee's clone, once made. */
  @Prop()
  cloneFunnelId?: string;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;
}

export const LicenseSchema = SchemaFactory.createForClass(License);
// LicensesRepository.ofFunnel: a funnel's active licenses (territory overlap when granting one).
LicenseSchema.index({ funnelId: 1, status: 1 });
// LicensesRepository.visibleTo: the licenses a partner holds (one branch of its $or).
LicenseSchema.index({ licenseeOrganizationId: 1 });
// LicensesRepository.visibleTo: the licenses a partner granted (the other branch of its $or).
LicenseSchema.index({ licensorOrganizationId: 1 });
// LicensesRepository.children: a license's sub-licenses (descendants, and revoking the tree).
LicenseSchema.index({ parentLicenseId: 1 });

/**
 * One license's issuing at a time per template (`_id` is the funnel id): a unique insert, so
 * two exclusive licenses racing for one territory cannot both pass the overlap check.
 */
@Schema({ collection: 'cf_license_locks', strictQuery: 'throw', versionKey: false })
export class LicenseLock {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  at!: Date;
}

export const LicenseLockSchema = SchemaFactory.createForClass(LicenseLock);

/**
 * The license ledger: fees, and revenue shares of each paid order (reversed by refunds). Entries
 * are written once: `${licenseId}:fee:${n}`, `${orderId}:${licenseId}:share`, `...:reversal`.
 */
@Schema({ collection: 'cf_license_ledger', strictQuery: 'throw', versionKey: false })
export class LicenseLedgerEntry {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  licenseId!: string;

  @Prop({ type: String, required: true, enum: ['fee', 'share', 'share_reversal'] })
  kind!: 'fee' | 'share' | 'share_reversal';

  /** Who receives it: the licensor organisation, or the platform (none). */
  @Prop()
  beneficiaryOrganizationId?: string;

  /** Who owes it: the licensee organisation. */
  @Prop({ required: true })
  payerOrganizationId!: string;

  @Prop({ type: Types.ObjectId })
  orderId?: Types.ObjectId;

  /** The sale a share comes from (negative for a reversal). */
  @Prop({ type: MONEY, _id: false })
  sale?: Money;

  @Prop()
  basisPoints?: number;

  /** Negative for a reversal. */
  @Prop({ type: MONEY, required: true, _id: false })
  amount!: Money;

  @Prop({ required: true })
  at!: Date;
}

export const LicenseLedgerSchema = SchemaFactory.createForClass(LicenseLedgerEntry);
// LicensesRepository.entries: a license's ledger in a period, in time order (the statement).
LicenseLedgerSchema.index({ licenseId: 1, at: 1 });
// LicensesRepository.entriesOfOrder: an order's revenue shares, reversed on refund.
LicenseLedgerSchema.index({ orderId: 1 });
