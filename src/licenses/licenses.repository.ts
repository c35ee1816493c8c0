import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Money } from '../common/money';
import { Tenancy } from '../common/tenancy';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { License, LicenseLedgerEntry, LicenseLock } from './license.schema';
import { ChangeablePart, PriceBounds } from './license.rules';

export interface LicenseRecord {
  id: string;
  funnelId: string;
  licensorOrganizationId: string | null;
  licenseeOrganizationId: string;
  parentLicenseId: string | null;
  territory: string;
  exclusive: boolean;
  startsAt: Date;
  endsAt: Date;
  fee: Money;
  revenueShareBasisPoints: number;
  priceBounds: PriceBounds;
  allowedChanges: ChangeablePart[];
  sublicensing: boolean;
  status: 'active' | 'revoked';
  renewals: number;
  revokedAt: Date | null;
  cloneFunnelId: string | null;
  createdBy: string;
  createdAt: Date;
}

export type NewLicense = Omit<LicenseRecord, 'id' | 'status' | 'renewals' | 'revokedAt' | 'cloneFunnelId'>;

export interface LedgerRecord {
  id: string;
  licenseId: string;
  kind: 'fee' | 'share' | 'share_reversal';
  beneficiaryOrganizationId: string | null;
  payerOrganizationId: string;
  orderId: string | null;
  sale: Money | null;
  basisPoints: number | null;
  amount: Money;
  at: Date;
}

type StoredLicense = License & { _id: Types.ObjectId };
const money = (m: Money): Money => ({ amount: m.amount, currency: m.currency });

function toRecord(doc: StoredLicense): LicenseRecord {
  return {
    id: doc._id.toHexString(),
    funnelId: doc.funnelId,
    licensorOrganizationId: doc.licensorOrganizationId ?? null,
    licenseeOrganizationId: doc.licenseeOrganizationId,
    parentLicenseId: doc.parentLicenseId ?? null,
    territory: doc.territory,
    exclusive: doc.exclusive,
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    fee: money(doc.fee),
    revenueShareBasisPoints: doc.revenueShareBasisPoints,
    priceBounds: { floor: money(doc.priceBounds.floor), ceiling: money(doc.priceBounds.ceiling) },
    allowedChanges: doc.allowedChanges ?? [],
    sublicensing: doc.sublicensing,
    status: doc.status,
    renewals: doc.renewals ?? 0,
    revokedAt: doc.revokedAt ?? null,
    cloneFunnelId: doc.cloneFunnelId ?? null,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
  };
}

function toLedger(doc: LicenseLedgerEntry): LedgerRecord {
  return {
    id: doc._id,
    licenseId: doc.licenseId,
    kind: doc.kind,
    beneficiaryOrganizationId: doc.beneficiaryOrganizationId ?? null,
    payerOrganizationId: doc.payerOrganizationId,
    orderId: doc.orderId?.toHexString() ?? null,
    sale: doc.sale ? money(doc.sale) : null,
    basisPoints: doc.basisPoints ?? null,
    amount: money(doc.amount),
    at: doc.at,
  };
}

/** A lock older than this belongs to a crashed request and may be taken over. */
const LOCK_STALE_MS = 30_000;

@Injectable()
export class LicensesRepository {
  constructor(
    @InjectModel(License.name, COURSE_FUNNEL_CONNECTION) private readonly licenses: Model<License>,
    @InjectModel(LicenseLock.name, COURSE_FUNNEL_CONNECTION) private readonly locks: Model<LicenseLock>,
    @InjectModel(LicenseLedgerEntry.name, COURSE_FUNNEL_CONNECTION)
    private readonly ledger: Model<LicenseLedgerEntry>,
  ) {}

  async insert(license: NewLicense): Promise<LicenseRecord> {
    const { licensorOrganizationId, parentLicenseId, ...rest } = license;
    const created = await this.licenses.create({
      ...rest,
      ...(licensorOrganizationId ? { licensorOrganizationId } : {}),
      ...(parentLicenseId ? { parentLicenseId } : {}),
      status: 'active',
      renewals: 0,
    });
    return toRecord(created.toObject());
  }

  async find(id: string): Promise<LicenseRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.licenses.findById(id).lean<StoredLicense>().exec();
    return doc ? toRecord(doc) : null;
  }

  async ofFunnel(funnelId: string): Promise<LicenseRecord[]> {
    const docs = await this.licenses.find({ funnelId, status: 'active' }).lean<StoredLicense[]>().exec();
    return docs.map(toRecord);
  }

  /** Licenses the tenancy's organisation holds or grants (all of them for platform staff). */
  async visibleTo(tenancy: Tenancy): Promise<LicenseRecord[]> {
    const filter =
      tenancy.kind === 'all'
        ? {}
        : {
            $or: [
              { licenseeOrganizationId: tenancy.organizationId },
              { licensorOrganizationId: tenancy.organizationId },
            ],
          };
    const docs = await this.licenses.find(filter).sort({ createdAt: 1 }).limit(1000).lean<StoredLicense[]>().exec();
    return docs.map(toRecord);
  }

  async children(parentLicenseId: string): Promise<LicenseRecord[]> {
    const docs = await this.licenses.find({ parentLicenseId }).lean<StoredLicense[]>().exec();
    return docs.map(toRecord);
  }

  async update(
    id: string,
    changes: Partial<Pick<LicenseRecord, 'endsAt' | 'renewals' | 'status' | 'revokedAt' | 'cloneFunnelId'>>,
  ): Promise<void> {
    await this.licenses.updateOne({ _id: new Types.ObjectId(id) }, { $set: changes }).exec();
  }

  /** Takes the lock of a key, taking over one left by a crashed request; false while someone holds it. */
  async lock(key: string, at: Date): Promise<boolean> {
    await this.locks.deleteOne({ _id: key, at: trusted({ $lt: new Date(at.getTime() - LOCK_STALE_MS) }) }).exec();
    return insertOnce(this.locks, { _id: key, at });
  }

  async unlock(key: string): Promise<void> {
    await this.locks.deleteOne({ _id: key }).exec();
  }

  /** Writes a ledger entry once (its id says what it is for); false when it exists. */
  addEntry(entry: LedgerRecord): Promise<boolean> {
    const { id, orderId, beneficiaryOrganizationId, sale, basisPoints, ...rest } = entry;
    return insertOnce(this.ledger, {
      _id: id,
      ...rest,
      ...(orderId ? { orderId: new Types.ObjectId(orderId) } : {}),
      ...(beneficiaryOrganizationId ? { beneficiaryOrganizationId } : {}),
      ...(sale ? { sale } : {}),
      ...(basisPoints !== null ? { basisPoints } : {}),
    });
  }

  async entriesOfOrder(orderId: string): Promise<LedgerRecord[]> {
    const docs = await this.ledger
      .find({ orderId: new Types.ObjectId(orderId) })
      .lean<LicenseLedgerEntry[]>()
      .exec();
    return docs.map(toLedger);
  }

  async entries(licenseId: string, period: { from?: Date; to?: Date }): Promise<LedgerRecord[]> {
    const at: Record<string, Date> = {};
    if (period.from) at['$gte'] = period.from;
    if (period.to) at['$lt'] = period.to;
    const docs = await this.ledger
      .find({ licenseId, ...(Object.keys(at).length ? { at: trusted(at) } : {}) })
      .sort({ at: 1, _id: 1 })
      .limit(50_000)
      .lean<LicenseLedgerEntry[]>()
      .exec();
    return docs.map(toLedger);
  }
}
