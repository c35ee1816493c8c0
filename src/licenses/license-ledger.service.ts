import { Injectable, OnModuleInit } from '@nestjs/common';
import { StaffPrincipal } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { CsvRow, toCsv } from '../common/csv';
import { DomainEvents } from '../events/domain-events.service';
import { Money } from '../common/money';
import { CohortsService } from '../cohorts/cohorts.service';
import { OrdersService } from '../orders/orders.service';
import { revenueShares } from './license.rules';
import { LedgerRecord, LicenseRecord, LicensesRepository } from './licenses.repository';
import { LicensesService } from './licenses.service';
import { ALL_ORGANIZATIONS } from '../common/tenancy';

export interface LicenseStatement {
  license: LicenseRecord;
  from: Date | null;
  to: Date | null;
  entries: LedgerRecord[];
  totals: { sales: Money; shares: Money; fees: Money; due: Money };
  /** The ledger's sales against the orders themselves, in the same period. */
  reconciliation: { orders: number; orderSales: Money; ledgerSales: Money; reconciled: boolean };
}

const sum = (amounts: Money[], currency: string): Money => ({
  amount: amounts.reduce((total, m) => total + m.amount, 0),
  currency,
});

/**
 * The license ledger's money side: a revenue share for each licensor up the chain on every paid
 * order in a licensed cohort, reversed by refunds, and statements that reconcile with the orders.
 */
@Injectable()
export class LicenseLedgerService implements OnModuleInit {
  constructor(
    private readonly licenses: LicensesService,
    private readonly repository: LicensesRepository,
    private readonly cohorts: CohortsService,
    private readonly orders: OrdersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('order.paid', 'licenses.share', ({ orderId }) => this.shareRevenue(orderId));
    this.events.on('order.refunded', 'licenses.reverse-shares', ({ orderId }) => this.reverseShares(orderId));
  }

  /** Revenue shares of a paid order in a licensed cohort: to each licensor up the license chain. */
  async shareRevenue(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId, ALL_ORGANIZATIONS);
    const cohort = await this.cohorts.find(order.cohortId, ALL_ORGANIZATIONS);
    if (!cohort.licenseId) return;
    const chain = await this.licenses.chain(await this.licenses.find(cohort.licenseId));
    const shares = revenueShares(
      order.price,
      chain.map((l) => ({
        licenseId: l.id,
        beneficiaryOrganizationId: l.licensorOrganizationId,
        basisPoints: l.revenueShareBasisPoints,
      })),
    );
    for (const share of shares) {
      const license = chain.find((l) => l.id === share.licenseId)!;
      await this.repository.addEntry({
        id: `${orderId}:${share.licenseId}:share`,
        licenseId: share.licenseId,
        kind: 'share',
        beneficiaryOrganizationId: share.beneficiaryOrganizationId,
        payerOrganizationId: license.licenseeOrganizationId,
        orderId,
        sale: order.price,
        basisPoints: share.basisPoints,
        amount: share.amount,
        at: order.paidAt ?? this.clock.now(),
      });
    }
  }

  /** A refund takes each share back, once. */
  async reverseShares(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId, ALL_ORGANIZATIONS);
    for (const entry of await this.repository.entriesOfOrder(orderId)) {
      if (entry.kind !== 'share') continue;
      await this.repository.addEntry({
        ...entry,
        id: `${orderId}:${entry.licenseId}:reversal`,
        kind: 'share_reversal',
        sale: entry.sale && { amount: -entry.sale.amount, currency: entry.sale.currency },
        amount: { amount: -entry.amount.amount, currency: entry.amount.currency },
        at: order.refundedAt ?? this.clock.now(),
      });
    }
  }

  /**
   * A license's statement for a period: its fees, the sales in its cohorts (and its sub-licenses')
   * with the shares due, and a reconciliation of the ledger's sales against the orders themselves.
   */
  async statement(id: string, period: { from?: Date; to?: Date }, staff: StaffPrincipal): Promise<LicenseStatement> {
    const license = await this.licenses.get(id, staff);
    const currency = license.fee.currency;
    const entries = await this.repository.entries(id, period);
    const shares = entries.filter((e) => e.kind !== 'fee');
    const ledgerSales = sum(
      shares.map((e) => e.sale ?? { amount: 0, currency }),
      currency,
    );
    const tree = [license, ...(await this.licenses.descendants(license))];
    const cohortIds = await this.cohorts.idsUnderLicenses(tree.map((l) => l.id));
    const within = (at: Date | null) =>
      at !== null && (!period.from || at >= period.from) && (!period.to || at < period.to);
    let orderSales = 0;
    let orders = 0;
    for (const order of await this.orders.paidInCohorts(cohortIds)) {
      if (within(order.paidAt)) {
        orderSales += order.price.amount;
        orders++;
      }
      if (order.status === 'refunded' && within(order.refundedAt)) orderSales -= order.price.amount;
    }
    const fees = sum(
      entries.filter((e) => e.kind === 'fee').map((e) => e.amount),
      currency,
    );
    const shareTotal = sum(
      shares.map((e) => e.amount),
      currency,
    );
    return {
      license,
      from: period.from ?? null,
      to: period.to ?? null,
      entries,
      totals: {
        sales: ledgerSales,
        shares: shareTotal,
        fees,
        due: { amount: shareTotal.amount + fees.amount, currency },
      },
      reconciliation: {
        orders,
        orderSales: { amount: orderSales, currency },
        ledgerSales,
        reconciled: orderSales === ledgerSales.amount,
      },
    };
  }

  statementCsv(statement: LicenseStatement): string {
    const header = [
      'entry',
      'kind',
      'at',
      'order',
      'sale_minor',
      'basis_points',
      'amount_minor',
      'currency',
      'payer',
      'beneficiary',
    ];
    const rows: CsvRow[] = statement.entries.map((e) => [
      e.id,
      e.kind,
      e.at.toISOString(),
      e.orderId,
      e.sale?.amount,
      e.basisPoints,
      e.amount.amount,
      e.amount.currency,
      e.payerOrganizationId,
      e.beneficiaryOrganizationId ?? 'platform',
    ]);
    const { totals, reconciliation } = statement;
    const summary: CsvRow[] = [
      ['total', 'sales', '', '', totals.sales.amount, '', '', totals.sales.currency, '', ''],
      ['total', 'shares', '', '', '', '', totals.shares.amount, totals.shares.currency, '', ''],
      ['total', 'fees', '', '', '', '', totals.fees.amount, totals.fees.currency, '', ''],
      [
        'reconciliation',
        `orders=${reconciliation.orders}`,
        '',
        '',
        reconciliation.orderSales.amount,
        '',
        '',
        reconciliation.orderSales.currency,
        '',
        reconciliation.reconciled ? 'reconciled' : 'MISMATCH',
      ],
    ];
    return toCsv(header, [...rows, ...summary]);
  }
}
