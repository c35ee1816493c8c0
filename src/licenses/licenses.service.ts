import { Injectable, OnModuleInit } from '@nestjs/common';
import { StaffPrincipal } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { DomainError, NotFoundError } from '../common/domain-error';
import { DomainEvents } from '../common/domain-events';
import { Money } from '../common/money';
import { partnerOrganization } from '../common/organization-scope';
import { CohortsService } from '../cohorts/cohorts.service';
import { Locale } from '../common/locale';
import { FunnelContent } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { InvalidFunnelContentError } from '../funnels/funnels.errors';
import { MessageKind } from '../messages/message-kinds';
import { FunnelsService, FunnelView } from '../funnels/funnels.service';
import { MessageOverridesService } from '../messages/message-overrides.service';
import { OrdersService } from '../orders/orders.service';
import { PartnersService } from '../partners/partners.service';
import { IssueLicenseDto } from './dto/license.dto';
import {
  cloneEditProblems,
  cohortRefusal,
  licenseConflict,
  licenseInForce,
  licenseTermsProblems,
  priceBoundsProblems,
  revenueShares,
  sublicenseProblems,
} from './license.rules';
import { LedgerRecord, LicenseRecord, LicensesRepository } from './licenses.repository';
import { mergeUpstream, missingChoices, UpstreamChange, UpstreamChoice, upstreamChanges } from './upstream.rules';

export interface LicenseStatement {
  license: LicenseRecord;
  from: Date | null;
  to: Date | null;
  entries: LedgerRecord[];
  totals: { sales: Money; shares: Money; fees: Money; due: Money };
  /** The ledger's sales against the orders themselves, in the same period. */
  reconciliation: { orders: number; orderSales: Money; ledgerSales: Money; reconciled: boolean };
}

/** Wording taken from the licensor is marked so, to tell it from the partner's own edits. */
const upstreamAuthor = (templateId: string) => `upstream:${templateId}`;

export interface UpstreamView {
  funnelId: string;
  templateId: string;
  sourceVersion: number;
  upstreamVersion: number;
  changes: UpstreamChange[];
}

/** A version's content without its record fields. */
function contentOf(version: FunnelVersionRecord): FunnelContent {
  const { funnelId: _f, version: _v, createdBy: _c, createdAt: _t, ...content } = version;
  return content;
}

const sum = (amounts: Money[], currency: string): Money => ({
  amount: amounts.reduce((total, m) => total + m.amount, 0),
  currency,
});

/**
 * Licenses of funnel templates to partner organisations: issuing (never two exclusive licenses
 * over one territory and term), sub-licensing within a territory, renewal and revocation, the
 * partner's clone and what it may change, cohorts only while a license is in force, and the
 * license ledger of fees and revenue shares.
 */
@Injectable()
export class LicensesService implements OnModuleInit {
  constructor(
    private readonly licenses: LicensesRepository,
    private readonly funnels: FunnelsService,
    private readonly cohorts: CohortsService,
    private readonly partners: PartnersService,
    private readonly orders: OrdersService,
    private readonly overrides: MessageOverridesService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('funnel.version.proposed', async ({ funnel, content, pull }) => {
      if (!funnel.source) return;
      const license = await this.find(funnel.source.licenseId);
      const problems = pull
        ? priceBoundsProblems(content.offer, license.priceBounds)
        : cloneEditProblems(funnel.current, content, license);
      if (problems.length > 0) throw new InvalidFunnelContentError(problems);
    });
    this.events.on('funnel.messages.proposed', async ({ funnelId }) => {
      const funnel = await this.funnels.get(funnelId);
      if (!funnel.source) return;
      const license = await this.find(funnel.source.licenseId);
      if (!license.allowedChanges.includes('messages')) {
        throw new DomainError('forbidden', 'license_locks_messages', 'The license does not allow changes to messages');
      }
    });
    this.events.on('cohort.proposed', async ({ funnel, startAt, territory }) => {
      if (!funnel.source) {
        if (territory)
          throw new DomainError('invalid', 'territory_without_license', 'territory: only licensed cohorts have one');
        return;
      }
      const refusal = cohortRefusal(await this.find(funnel.source.licenseId), startAt, territory);
      if (refusal) throw new DomainError('rule', 'outside_license', refusal);
    });
    this.events.on('cohort.opening', async ({ cohort }) => {
      if (!cohort.licenseId) return;
      const license = await this.find(cohort.licenseId);
      if (!licenseInForce(license, this.clock.now())) {
        throw new DomainError(
          'rule',
          'license_not_in_force',
          license.status === 'revoked'
            ? 'The license was revoked: no new cohorts can open (running ones finish)'
            : `The license is not in force (${license.startsAt.toISOString()} to ${license.endsAt.toISOString()}): no new cohorts can open`,
        );
      }
    });
    this.events.on('order.paid', ({ orderId }) => this.shareRevenue(orderId));
    this.events.on('order.refunded', ({ orderId }) => this.reverseShares(orderId));
  }

  async find(id: string): Promise<LicenseRecord> {
    const license = await this.licenses.find(id);
    if (!license) throw new NotFoundError('license', id);
    return license;
  }

  /** A license as its licensee, its licensor or platform staff may see it; 404 to anyone else. */
  async get(id: string, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.find(id);
    const organization = partnerOrganization(staff);
    if (
      organization !== undefined &&
      license.licenseeOrganizationId !== organization &&
      license.licensorOrganizationId !== organization
    ) {
      throw new NotFoundError('license', id);
    }
    return license;
  }

  list(staff: StaffPrincipal): Promise<LicenseRecord[]> {
    return this.licenses.visibleTo(partnerOrganization(staff));
  }

  /**
   * Issues a license: of a platform template by an admin or the template's owner, or a sub-license
   * by the parent license's holder, within its territory, term, permissions and bounds. An
   * exclusive overlap with another license of the template is a 409 naming it.
   */
  async issue(dto: IssueLicenseDto, staff: StaffPrincipal): Promise<LicenseRecord> {
    const termsProblem = licenseTermsProblems(dto)[0];
    if (termsProblem) throw new DomainError('invalid', 'invalid_license', termsProblem);
    await this.partners.get(dto.licenseeOrganizationId);
    const parent = dto.parentLicenseId ? await this.get(dto.parentLicenseId, staff) : null;
    let funnelId: string;
    if (parent) {
      if (staff.role === 'partner' && staff.organizationId !== parent.licenseeOrganizationId) {
        throw new DomainError('forbidden', 'not_licensee', 'Only the holder of a license may sub-license it');
      }
      const problem = sublicenseProblems(parent, {
        territory: dto.territory,
        startsAt: dto.startsAt,
        endsAt: dto.endsAt,
        allowedChanges: dto.allowedChanges,
        priceBounds: dto.priceBounds,
      })[0];
      if (problem) throw new DomainError('invalid', 'invalid_sublicense', problem);
      funnelId = parent.funnelId;
    } else {
      const funnel = await this.funnels.get(dto.funnelId ?? '');
      if (funnel.organizationId) {
        throw new DomainError(
          'invalid',
          'not_a_template',
          'funnelId: a partner clone cannot be licensed; sub-license instead',
        );
      }
      if (staff.role !== 'admin' && funnel.createdBy !== staff.tokenId) {
        throw new DomainError('forbidden', 'not_owner', "Only an admin or the template's owner may license it");
      }
      funnelId = funnel.id;
    }
    const ancestors = await this.ancestors(parent);
    return this.underLock(`funnel:${funnelId}`, async () => {
      const conflict = licenseConflict(
        { ...dto, funnelId, parentLicenseId: parent?.id ?? null },
        await this.licenses.ofFunnel(funnelId),
        ancestors,
      );
      if (conflict) throw this.conflictError(conflict);
      const license = await this.licenses.insert({
        funnelId,
        licensorOrganizationId: parent?.licenseeOrganizationId ?? null,
        licenseeOrganizationId: dto.licenseeOrganizationId,
        parentLicenseId: parent?.id ?? null,
        territory: dto.territory,
        exclusive: dto.exclusive,
        startsAt: dto.startsAt,
        endsAt: dto.endsAt,
        fee: dto.fee,
        revenueShareBasisPoints: dto.revenueShareBasisPoints,
        priceBounds: dto.priceBounds,
        allowedChanges: [...new Set(dto.allowedChanges)],
        sublicensing: dto.sublicensing ?? false,
        createdBy: staff.tokenId,
        createdAt: this.clock.now(),
      });
      await this.recordFee(license, 0, license.fee);
      return license;
    });
  }

  /** Extends the term (checked again for overlaps); the renewal's fee is recorded. */
  async renew(id: string, endsAt: Date, fee: Money | undefined, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.issued(id, staff);
    if (license.status !== 'active')
      throw new DomainError('conflict', 'license_revoked', 'A revoked license cannot be renewed');
    if (endsAt <= license.endsAt)
      throw new DomainError('invalid', 'invalid_renewal', 'endsAt: must be after the current end');
    const parent = license.parentLicenseId ? await this.find(license.parentLicenseId) : null;
    if (parent && endsAt > parent.endsAt) {
      throw new DomainError('invalid', 'invalid_renewal', 'endsAt: must lie within the parent license term');
    }
    return this.underLock(`funnel:${license.funnelId}`, async () => {
      const conflict = licenseConflict(
        { ...license, endsAt },
        await this.licenses.ofFunnel(license.funnelId),
        await this.ancestors(parent),
      );
      if (conflict) throw this.conflictError(conflict);
      const renewals = license.renewals + 1;
      await this.licenses.update(id, { endsAt, renewals });
      await this.recordFee(license, renewals, fee ?? license.fee);
      return this.find(id);
    });
  }

  /** Revokes a license and its sub-licenses: no new cohorts under them; running ones finish. */
  async revoke(id: string, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.issued(id, staff);
    await this.revokeTree(license);
    return this.find(id);
  }

  /**
   * The licensee's own funnel: a deep copy of the template's latest version (lessons, homework,
   * offer and ladder, message wording) that records its source. Cloning again returns it.
   */
  async clone(id: string, staff: StaffPrincipal): Promise<FunnelView> {
    const license = await this.get(id, staff);
    if (staff.role === 'partner' && staff.organizationId !== license.licenseeOrganizationId) {
      throw new DomainError('forbidden', 'not_licensee', 'Only the licensee may clone its license');
    }
    if (license.status !== 'active') throw new DomainError('conflict', 'license_revoked', 'This license was revoked');
    if (license.cloneFunnelId) return this.funnels.get(license.cloneFunnelId);
    return this.underLock(`clone:${id}`, async () => {
      const fresh = await this.find(id);
      if (fresh.cloneFunnelId) return this.funnels.get(fresh.cloneFunnelId);
      const template = await this.funnels.get(license.funnelId);
      const clone = await this.funnels.create(contentOf(template.current), staff.tokenId, {
        organizationId: license.licenseeOrganizationId,
        source: { funnelId: license.funnelId, version: template.latestVersion, licenseId: id },
      });
      await this.overrides.copy(license.funnelId, clone.id, upstreamAuthor(license.funnelId));
      await this.licenses.update(id, { cloneFunnelId: clone.id });
      return clone;
    });
  }

  /**
   * What the licensor changed since the clone's source version, per lesson, offer, name and
   * message wording, each saying whether the partner changed it too.
   */
  async upstream(funnelId: string): Promise<UpstreamView & { local: FunnelContent; latest: FunnelContent }> {
    const clone = await this.funnels.get(funnelId);
    if (!clone.source) throw new DomainError('invalid', 'not_a_clone', 'This funnel is not a licensed clone');
    const templateId = clone.source.funnelId;
    const [base, template] = await Promise.all([
      this.funnels.getVersion(templateId, clone.source.version),
      this.funnels.get(templateId),
    ]);
    const [local, latest] = [contentOf(clone.current), contentOf(template.current)];
    const changes = upstreamChanges(contentOf(base), latest, local);
    const [theirs, ours] = await Promise.all([this.overrides.list(templateId), this.overrides.list(funnelId)]);
    const key = (o: { kind: string; locale: string }) => `messages.${o.kind}.${o.locale}`;
    const mine = new Map(ours.map((o) => [key(o), o]));
    for (const override of theirs) {
      const own = mine.get(key(override));
      const fields = (['subject', 'html', 'text'] as const).filter((f) => own?.[f] !== override[f]);
      if (fields.length === 0) continue;
      changes.push({
        item: key(override),
        locallyChanged: !!own && own.updatedBy !== upstreamAuthor(templateId),
        fields,
      });
    }
    return {
      funnelId,
      templateId,
      sourceVersion: clone.source.version,
      upstreamVersion: template.latestVersion,
      changes,
      local,
      latest,
    };
  }

  /**
   * Takes the licensor's changes into the clone, item by item as chosen: every change needs a
   * choice (`upstream` or `local`), so nothing is overwritten silently. Saves the next version of
   * the clone, now derived from the licensor's latest.
   */
  async pull(funnelId: string, choices: Record<string, UpstreamChoice>, staff: StaffPrincipal): Promise<UpstreamView> {
    const view = await this.upstream(funnelId);
    const items = new Set(view.changes.map((c) => c.item));
    for (const [item, choice] of Object.entries(choices)) {
      if (!items.has(item))
        throw new DomainError('invalid', 'unknown_item', `choices.${item}: is not a change to pull`);
      if (choice !== 'upstream' && choice !== 'local') {
        throw new DomainError('invalid', 'invalid_choice', `choices.${item}: must be upstream or local`);
      }
    }
    const missing = missingChoices(view.changes, choices)[0];
    if (missing) throw new DomainError('invalid', 'choice_missing', `${missing}: choose upstream or local`);
    const merged = mergeUpstream(view.local, view.latest, choices);
    await this.funnels.addVersion(funnelId, merged, staff.tokenId, view.upstreamVersion);
    for (const change of view.changes) {
      const [, kind, locale] = change.item.split('.');
      if (change.item.startsWith('messages.') && choices[change.item] === 'upstream') {
        await this.overrides.adopt(
          view.templateId,
          funnelId,
          kind as MessageKind,
          locale as Locale,
          upstreamAuthor(view.templateId),
        );
      }
    }
    const { local: _l, latest: _u, ...after } = await this.upstream(funnelId);
    return after;
  }

  /** Revenue shares of a paid order in a licensed cohort: to each licensor up the license chain. */
  async shareRevenue(orderId: string): Promise<void> {
    const order = await this.orders.get(orderId);
    const cohort = await this.cohorts.find(order.cohortId);
    if (!cohort.licenseId) return;
    const chain = await this.chain(await this.find(cohort.licenseId));
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
      await this.licenses.addEntry({
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
    const order = await this.orders.get(orderId);
    for (const entry of await this.licenses.entriesOfOrder(orderId)) {
      if (entry.kind !== 'share') continue;
      await this.licenses.addEntry({
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
    const license = await this.get(id, staff);
    const currency = license.fee.currency;
    const entries = await this.licenses.entries(id, period);
    const shares = entries.filter((e) => e.kind !== 'fee');
    const ledgerSales = sum(
      shares.map((e) => e.sale ?? { amount: 0, currency }),
      currency,
    );
    const tree = [license, ...(await this.descendants(license))];
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
    const header = 'entry,kind,at,order,sale_minor,basis_points,amount_minor,currency,payer,beneficiary';
    const rows = statement.entries.map((e) =>
      [
        e.id,
        e.kind,
        e.at.toISOString(),
        e.orderId ?? '',
        e.sale?.amount ?? '',
        e.basisPoints ?? '',
        e.amount.amount,
        e.amount.currency,
        e.payerOrganizationId,
        e.beneficiaryOrganizationId ?? 'platform',
      ].join(','),
    );
    const { totals, reconciliation } = statement;
    const summary = [
      `total,sales,,,${totals.sales.amount},,,${totals.sales.currency},,`,
      `total,shares,,,,,${totals.shares.amount},${totals.shares.currency},,`,
      `total,fees,,,,,${totals.fees.amount},${totals.fees.currency},,`,
      `reconciliation,orders=${reconciliation.orders},,,${reconciliation.orderSales.amount},,,${reconciliation.orderSales.currency},,${reconciliation.reconciled ? 'reconciled' : 'MISMATCH'}`,
    ];
    return [header, ...rows, ...summary].join('\n') + '\n';
  }

  /** The license as its issuer sees it: an admin, the template's owner, or the sub-licensor. */
  private async issued(id: string, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.get(id, staff);
    const issuer = license.licensorOrganizationId
      ? staff.role === 'admin' || (staff.role === 'partner' && staff.organizationId === license.licensorOrganizationId)
      : staff.role === 'admin' || (await this.funnels.get(license.funnelId)).createdBy === staff.tokenId;
    if (!issuer) throw new DomainError('forbidden', 'not_issuer', 'Only the licensor may renew or revoke this license');
    return license;
  }

  private async revokeTree(license: LicenseRecord): Promise<void> {
    if (license.status === 'active')
      await this.licenses.update(license.id, { status: 'revoked', revokedAt: this.clock.now() });
    for (const child of await this.licenses.children(license.id)) await this.revokeTree(child);
  }

  /** The license and those above it, nearest first. */
  private async chain(license: LicenseRecord): Promise<LicenseRecord[]> {
    const chain = [license];
    while (chain.length < 5 && chain[chain.length - 1].parentLicenseId) {
      chain.push(await this.find(chain[chain.length - 1].parentLicenseId!));
    }
    return chain;
  }

  private async ancestors(parent: LicenseRecord | null): Promise<string[]> {
    return parent ? (await this.chain(parent)).map((l) => l.id) : [];
  }

  private async descendants(license: LicenseRecord): Promise<LicenseRecord[]> {
    const children = await this.licenses.children(license.id);
    const below = await Promise.all(children.map((c) => this.descendants(c)));
    return [...children, ...below.flat()];
  }

  private async recordFee(license: LicenseRecord, renewal: number, fee: Money): Promise<void> {
    if (fee.amount <= 0) return;
    await this.licenses.addEntry({
      id: `${license.id}:fee:${renewal}`,
      licenseId: license.id,
      kind: 'fee',
      beneficiaryOrganizationId: license.licensorOrganizationId,
      payerOrganizationId: license.licenseeOrganizationId,
      orderId: null,
      sale: null,
      basisPoints: null,
      amount: fee,
      at: this.clock.now(),
    });
  }

  private conflictError(conflict: LicenseRecord): DomainError {
    return new DomainError(
      'conflict',
      'license_conflict',
      `Overlaps the ${conflict.exclusive ? 'exclusive ' : ''}license ${conflict.id} for ${conflict.territory} ` +
        `(${conflict.startsAt.toISOString()} to ${conflict.endsAt.toISOString()})`,
      { conflictingLicenseId: conflict.id, territory: conflict.territory },
    );
  }

  /** Runs `work` holding a lock, so two issuers of one template cannot both pass the overlap check. */
  private async underLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await this.licenses.lock(key, this.clock.now())) {
        try {
          return await work();
        } finally {
          await this.licenses.unlock(key);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
    throw new DomainError('conflict', 'busy', 'Another license of this template is being issued; try again');
  }
}
