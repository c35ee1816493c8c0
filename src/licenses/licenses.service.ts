import { Injectable, OnModuleInit } from '@nestjs/common';
import { StaffPrincipal } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { LicenseError } from './licenses.errors';
import { DomainHooks } from '../events/domain-hooks';
import { Money } from '../common/money';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { tenancyOf } from '../auth/organization-scope';
import { FunnelsService } from '../funnels/funnels.service';
import { PartnersService } from '../partners/partners.service';
import { IssueLicenseDto } from './dto/license.dto';
import {
  cohortRefusal,
  licenseConflict,
  licenseInForce,
  licenseTermsProblems,
  sublicenseProblems,
} from './license.rules';
import { LicenseRecord, LicensesRepository } from './licenses.repository';

/**
 * Licenses of funnel templates to partner organisations: issuing (never two exclusive licenses
 * over one territory and term), sub-licensing within a territory, renewal and revocation, and
 * cohorts only while a license is in force. Clones are LicenseClonesService's, money is
 * LicenseLedgerService's.
 */
@Injectable()
export class LicensesService implements OnModuleInit {
  constructor(
    private readonly licenses: LicensesRepository,
    private readonly funnels: FunnelsService,
    private readonly partners: PartnersService,
    private readonly hooks: DomainHooks,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.hooks.on('cohort.proposed', async ({ funnel, startAt, territory }) => {
      if (!funnel.source) {
        if (territory) throw new LicenseError('territory_without_license', 'territory: only licensed cohorts have one');
        return;
      }
      const refusal = cohortRefusal(await this.find(funnel.source.licenseId), startAt, territory);
      if (refusal) throw new LicenseError('outside_license', refusal);
    });
    this.hooks.on('cohort.opening', async ({ cohort }) => {
      if (!cohort.licenseId) return;
      const license = await this.find(cohort.licenseId);
      if (!licenseInForce(license, this.clock.now())) {
        throw new LicenseError(
          'license_not_in_force',
          license.status === 'revoked'
            ? 'The license was revoked: no new cohorts can open (running ones finish)'
            : `The license is not in force (${license.startsAt.toISOString()} to ${license.endsAt.toISOString()}): no new cohorts can open`,
        );
      }
    });
  }

  async find(id: string): Promise<LicenseRecord> {
    const license = await this.licenses.find(id);
    if (!license) throw new NotFoundError('license', id);
    return license;
  }

  /** A license as its licensee, its licensor or platform staff may see it; 404 to anyone else. */
  async get(id: string, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.find(id);
    const tenancy = tenancyOf(staff);
    if (
      tenancy.kind === 'organization' &&
      license.licenseeOrganizationId !== tenancy.organizationId &&
      license.licensorOrganizationId !== tenancy.organizationId
    ) {
      throw new NotFoundError('license', id);
    }
    return license;
  }

  list(staff: StaffPrincipal): Promise<LicenseRecord[]> {
    return this.licenses.visibleTo(tenancyOf(staff));
  }

  /**
   * Issues a license: of a platform template by an admin or the template's owner, or a sub-license
   * by the parent license's holder, within its territory, term, permissions and bounds. An
   * exclusive overlap with another license of the template is a 409 naming it.
   */
  async issue(dto: IssueLicenseDto, staff: StaffPrincipal): Promise<LicenseRecord> {
    const termsProblem = licenseTermsProblems(dto)[0];
    if (termsProblem) throw new LicenseError('invalid_license', termsProblem);
    await this.partners.get(dto.licenseeOrganizationId, ALL_ORGANIZATIONS);
    const parent = dto.parentLicenseId ? await this.get(dto.parentLicenseId, staff) : null;
    let funnelId: string;
    if (parent) {
      if (staff.role === 'partner' && staff.organizationId !== parent.licenseeOrganizationId) {
        throw new LicenseError('not_licensee', 'Only the holder of a license may sub-license it');
      }
      const problem = sublicenseProblems(parent, {
        territory: dto.territory,
        startsAt: dto.startsAt,
        endsAt: dto.endsAt,
        allowedChanges: dto.allowedChanges,
        priceBounds: dto.priceBounds,
      })[0];
      if (problem) throw new LicenseError('invalid_sublicense', problem);
      funnelId = parent.funnelId;
    } else {
      const funnel = await this.funnels.get(dto.funnelId ?? '', ALL_ORGANIZATIONS);
      if (funnel.organizationId) {
        throw new LicenseError('not_a_template', 'funnelId: a partner clone cannot be licensed; sub-license instead');
      }
      if (staff.role !== 'admin' && funnel.createdBy !== staff.tokenId) {
        throw new LicenseError('not_owner', "Only an admin or the template's owner may license it");
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
    if (license.status !== 'active') throw new LicenseError('license_revoked', 'A revoked license cannot be renewed');
    if (endsAt <= license.endsAt) throw new LicenseError('invalid_renewal', 'endsAt: must be after the current end');
    const parent = license.parentLicenseId ? await this.find(license.parentLicenseId) : null;
    if (parent && endsAt > parent.endsAt) {
      throw new LicenseError('invalid_renewal', 'endsAt: must lie within the parent license term');
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

  /** The license and those above it, nearest first. */
  async chain(license: LicenseRecord): Promise<LicenseRecord[]> {
    const chain = [license];
    while (chain.length < 5 && chain[chain.length - 1].parentLicenseId) {
      chain.push(await this.find(chain[chain.length - 1].parentLicenseId!));
    }
    return chain;
  }

  async descendants(license: LicenseRecord): Promise<LicenseRecord[]> {
    const children = await this.licenses.children(license.id);
    const below = await Promise.all(children.map((c) => this.descendants(c)));
    return [...children, ...below.flat()];
  }

  /** Runs `work` holding a lock, so two issuers of one template cannot both pass the overlap check. */
  async underLock<T>(key: string, work: () => Promise<T>): Promise<T> {
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
    throw new LicenseError('busy', 'Another license of this template is being issued; try again');
  }

  /** The license as its issuer sees it: an admin, the template's owner, or the sub-licensor. */
  private async issued(id: string, staff: StaffPrincipal): Promise<LicenseRecord> {
    const license = await this.get(id, staff);
    const issuer = license.licensorOrganizationId
      ? staff.role === 'admin' || (staff.role === 'partner' && staff.organizationId === license.licensorOrganizationId)
      : staff.role === 'admin' ||
        (await this.funnels.get(license.funnelId, ALL_ORGANIZATIONS)).createdBy === staff.tokenId;
    if (!issuer) throw new LicenseError('not_issuer', 'Only the licensor may renew or revoke this license');
    return license;
  }

  private async revokeTree(license: LicenseRecord): Promise<void> {
    if (license.status === 'active')
      await this.licenses.update(license.id, { status: 'revoked', revokedAt: this.clock.now() });
    for (const child of await this.licenses.children(license.id)) await this.revokeTree(child);
  }

  private async ancestors(parent: LicenseRecord | null): Promise<string[]> {
    return parent ? (await this.chain(parent)).map((l) => l.id) : [];
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

  private conflictError(conflict: LicenseRecord): LicenseError {
    return new LicenseError(
      'license_conflict',
      `Overlaps the ${conflict.exclusive ? 'exclusive ' : ''}license ${conflict.id} for ${conflict.territory} ` +
        `(${conflict.startsAt.toISOString()} to ${conflict.endsAt.toISOString()})`,
      { info: { conflictingLicenseId: conflict.id, territory: conflict.territory } },
    );
  }
}
