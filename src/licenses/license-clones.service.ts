import { Injectable, OnModuleInit } from '@nestjs/common';
import { StaffPrincipal } from '../auth/access.decorators';
import { LicenseError } from './licenses.errors';
import { DomainHooks } from '../events/domain-hooks';
import { Locale } from '../common/locale';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { tenancyOf } from '../auth/organization-scope';
import { FunnelContent } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { InvalidFunnelContentError } from '../funnels/funnels.errors';
import { FunnelsService, FunnelView } from '../funnels/funnels.service';
import { MessageKind } from '../messages/message-kinds';
import { MessageOverridesService } from '../messages/message-overrides.service';
import { cloneEditProblems, priceBoundsProblems } from './license.rules';
import { LicensesRepository } from './licenses.repository';
import { LicensesService } from './licenses.service';
import { mergeUpstream, missingChoices, UpstreamChange, UpstreamChoice, upstreamChanges } from './upstream.rules';

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

/**
 * A licensee's clone of a licensed template: making it, what its license lets the partner change
 * (edits and message wording are refused otherwise), and taking in the licensor's later changes.
 */
@Injectable()
export class LicenseClonesService implements OnModuleInit {
  constructor(
    private readonly licenses: LicensesService,
    private readonly repository: LicensesRepository,
    private readonly funnels: FunnelsService,
    private readonly overrides: MessageOverridesService,
    private readonly hooks: DomainHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.on('funnel.version.proposed', async ({ funnel, content, pull }) => {
      if (!funnel.source) return;
      const license = await this.licenses.find(funnel.source.licenseId);
      const problems = pull
        ? priceBoundsProblems(content.offer, license.priceBounds)
        : cloneEditProblems(funnel.current, content, license);
      if (problems.length > 0) throw new InvalidFunnelContentError(problems);
    });
    this.hooks.on('funnel.messages.proposed', async ({ funnelId }) => {
      const funnel = await this.funnels.get(funnelId, ALL_ORGANIZATIONS);
      if (!funnel.source) return;
      const license = await this.licenses.find(funnel.source.licenseId);
      if (!license.allowedChanges.includes('messages')) {
        throw new LicenseError('license_locks_messages', 'The license does not allow changes to messages');
      }
    });
  }

  /**
   * The licensee's own funnel: a deep copy of the template's latest version (lessons, homework,
   * offer and ladder, message wording) that records its source. Cloning again returns it.
   */
  async clone(id: string, staff: StaffPrincipal): Promise<FunnelView> {
    const license = await this.licenses.get(id, staff);
    if (staff.role === 'partner' && staff.organizationId !== license.licenseeOrganizationId) {
      throw new LicenseError('not_licensee', 'Only the licensee may clone its license');
    }
    if (license.status !== 'active') throw new LicenseError('license_revoked', 'This license was revoked');
    if (license.cloneFunnelId) return this.funnels.get(license.cloneFunnelId, ALL_ORGANIZATIONS);
    return this.licenses.underLock(`clone:${id}`, async () => {
      const fresh = await this.licenses.find(id);
      if (fresh.cloneFunnelId) return this.funnels.get(fresh.cloneFunnelId, ALL_ORGANIZATIONS);
      // The licensee reads the licensor's template through its license, not its own tenancy.
      const template = await this.funnels.get(license.funnelId, ALL_ORGANIZATIONS);
      const clone = await this.funnels.create(contentOf(template.current), staff.tokenId, {
        organizationId: license.licenseeOrganizationId,
        source: { funnelId: license.funnelId, version: template.latestVersion, licenseId: id },
      });
      await this.overrides.copy(license.funnelId, clone.id, upstreamAuthor(license.funnelId));
      await this.repository.update(id, { cloneFunnelId: clone.id });
      return clone;
    });
  }

  /**
   * What the licensor changed since the clone's source version, per lesson, offer, name and
   * message wording, each saying whether the partner changed it too. The clone is read within the
   * caller's tenancy; its template through the license that made it.
   */
  async upstream(
    funnelId: string,
    tenancy: Tenancy,
  ): Promise<UpstreamView & { local: FunnelContent; latest: FunnelContent }> {
    const clone = await this.funnels.get(funnelId, tenancy);
    if (!clone.source) throw new LicenseError('not_a_clone', 'This funnel is not a licensed clone');
    const templateId = clone.source.funnelId;
    const [base, template] = await Promise.all([
      this.funnels.getVersion(templateId, clone.source.version, ALL_ORGANIZATIONS),
      this.funnels.get(templateId, ALL_ORGANIZATIONS),
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
    const tenancy = tenancyOf(staff);
    const view = await this.upstream(funnelId, tenancy);
    const items = new Set(view.changes.map((c) => c.item));
    for (const [item, choice] of Object.entries(choices)) {
      if (!items.has(item)) throw new LicenseError('unknown_item', `choices.${item}: is not a change to pull`);
      if (choice !== 'upstream' && choice !== 'local') {
        throw new LicenseError('invalid_choice', `choices.${item}: must be upstream or local`);
      }
    }
    const missing = missingChoices(view.changes, choices)[0];
    if (missing) throw new LicenseError('choice_missing', `${missing}: choose upstream or local`);
    const merged = mergeUpstream(view.local, view.latest, choices);
    await this.funnels.addVersion(funnelId, merged, staff.tokenId, tenancy, view.upstreamVersion);
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
    const { local: _l, latest: _u, ...after } = await this.upstream(funnelId, tenancy);
    return after;
  }
}
