import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { toCsv } from '../common/csv';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { Money, sumByCurrency } from '../common/money';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { DomainEvents } from '../events/domain-events.service';
import { REFERRAL_COUNT_CHANGES } from '../referrals/referral.events';
import { OrdersService } from '../orders/orders.service';
import { ReferralsService } from '../referrals/referrals.service';
import { CommissionStatus, commissionSplit, commissionStatus, COMMISSION_STATUSES } from './commission.rules';
import { CommissionRecord, CommissionsRepository } from './commissions.repository';
import { LevelsService } from './levels.service';

const DAY_MS = 24 * 3600_000;

export type CommissionEntry = CommissionRecord & { status: CommissionStatus };

export interface CommissionStatement {
  studentId: string;
  from: Date | null;
  to: Date | null;
  entries: CommissionEntry[];
  /** Sums per status, per currency. */
  totals: Record<CommissionStatus, Money[]>;
}

/**
 * The commission ledger. Each paid order pays its buyer's direct referrer their level's rate (and,
 * when configured, one override level above): never for recruiting itself, only for real course
 * sales. Entries become payable after the refund window, are paid when staff record a payout, and
 * are reversed by a refund before that; a flagged referral's entries are held until staff decide.
 */
@Injectable()
export class CommissionsService implements OnModuleInit {
  constructor(
    private readonly ledger: CommissionsRepository,
    private readonly levels: LevelsService,
    private readonly orders: OrdersService,
    private readonly referrals: ReferralsService,
    private readonly enrollments: EnrollmentsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onModuleInit(): void {
    this.events.on('order.paid', 'commissions.credit', ({ orderId }) => this.credit(orderId));
    this.events.on('order.refunded', 'commissions.reverse', ({ orderId }) => this.reverse(orderId));
    this.events.on('referral.reviewed', 'commissions.release-held', ({ refereeEnrollmentId, decision }) =>
      this.releaseHeld(refereeEnrollmentId, decision),
    );
    for (const event of REFERRAL_COUNT_CHANGES) {
      this.events.on(event, 'commissions.level', async ({ referrerEnrollmentId }) => {
        const referrer = await this.enrollments.find(referrerEnrollmentId);
        await this.levels.reconsider(referrer.studentId, referrer.id);
      });
    }
  }

  /** Writes a paid order's commissions (once per order and depth), then reviews the referrer's level. */
  async credit(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId, ALL_ORGANIZATIONS);
    const referral = await this.referrals.of(order.enrollmentId);
    if (!order.referrerStudentId || !referral || referral.review === 'rejected') return;
    const direct = referral.referrerStudentId;
    const above = (await this.referrals.upline(direct, 1))[0];
    const upline = [direct, ...(above ? [above] : [])];
    const levels = await Promise.all(upline.map((id) => this.levels.level(id)));
    const shares = commissionSplit(
      order.price,
      upline.map((studentId, i) => ({ studentId, level: levels[i].level })),
      this.options.commissions,
    );
    const now = this.clock.now();
    for (const share of shares) {
      await this.ledger.addEntry({
        id: `${orderId}:${share.depth}`,
        orderId,
        beneficiaryStudentId: share.studentId,
        buyerEnrollmentId: order.enrollmentId,
        depth: share.depth,
        level: share.level,
        basisPoints: share.basisPoints,
        amount: share.amount,
        held: referral.review === 'held',
        payableAt: new Date((order.paidAt ?? now).getTime() + this.options.commissions.refundWindowDays * DAY_MS),
        createdAt: now,
      });
    }
    await this.levels.reconsider(direct, referral.referrerEnrollmentId);
  }

  /** A refund reverses what has not been paid out yet. */
  async reverse(orderId: string): Promise<void> {
    for (const entry of await this.ledger.ofOrder(orderId)) {
      if (!entry.settled) await this.ledger.settle(entry.id, 'reversed', 'refund', this.clock.now());
    }
  }

  /** Staff decided a flagged referral: approved entries are released, rejected ones reversed. */
  async releaseHeld(buyerEnrollmentId: string, decision: 'approved' | 'rejected'): Promise<void> {
    for (const entry of await this.ledger.ofBuyerEnrollment(buyerEnrollmentId)) {
      if (entry.settled) continue;
      if (decision === 'approved') await this.ledger.setHeld(entry.id, false);
      else await this.ledger.settle(entry.id, 'reversed', 'referral rejected', this.clock.now());
    }
  }

  /** A student's (or agent's) entries with their status now, and totals, for a period. */
  async statement(studentId: string, period: { from?: Date; to?: Date } = {}): Promise<CommissionStatement> {
    const now = this.clock.now();
    const entries = (await this.ledger.ofBeneficiary(studentId, period)).map((e) => ({
      ...e,
      status: commissionStatus(e, now),
    }));
    const totals = Object.fromEntries(
      COMMISSION_STATUSES.map((status) => [
        status,
        sumByCurrency(entries.filter((e) => e.status === status).map((e) => e.amount)),
      ]),
    ) as Record<CommissionStatus, Money[]>;
    return { studentId, from: period.from ?? null, to: period.to ?? null, entries, totals };
  }

  /** The statement as CSV (one row per entry), for the agent's and the accountant's records. */
  async statementCsv(studentId: string, period: { from?: Date; to?: Date } = {}): Promise<string> {
    const { entries } = await this.statement(studentId, period);
    const header = [
      'entry',
      'order',
      'created',
      'depth',
      'level',
      'rate_bp',
      'amount_minor',
      'currency',
      'status',
      'payable_at',
      'payout',
    ];
    const rows = entries.map((e) => [
      e.id,
      e.orderId,
      e.createdAt.toISOString(),
      e.depth,
      e.level,
      e.basisPoints,
      e.amount.amount,
      e.amount.currency,
      e.status,
      e.payableAt.toISOString(),
      e.payoutId ?? '',
    ]);
    return toCsv(header, rows);
  }

  /** Pays out everything payable to a student now; an entry is settled once, whoever races. */
  async payout(studentId: string, by: string): Promise<{ payoutId: string; entries: string[]; total: Money[] }> {
    const payoutId = randomUUID();
    const { entries } = await this.statement(studentId);
    const paid: CommissionEntry[] = [];
    for (const entry of entries.filter((e) => e.status === 'payable')) {
      if (await this.ledger.settle(entry.id, 'paid', by, this.clock.now(), payoutId)) paid.push(entry);
    }
    return { payoutId, entries: paid.map((e) => e.id), total: sumByCurrency(paid.map((e) => e.amount)) };
  }
}
