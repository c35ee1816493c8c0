import { Money } from '../common/money';
import { territoryContains, territoriesOverlap } from '../common/territory';
import { FieldError } from '../common/validation';
import { FunnelContent } from '../funnels/funnel-content';

/** What a license may let the partner change in its clone; anything else stays as licensed. */
export const CHANGEABLE_PARTS = ['schedule', 'branding', 'messages', 'lessons'] as const;
export type ChangeablePart = (typeof CHANGEABLE_PARTS)[number];

export interface PriceBounds {
  floor: Money;
  ceiling: Money;
}

export interface LicenseTerms {
  id: string;
  funnelId: string;
  territory: string;
  exclusive: boolean;
  startsAt: Date;
  endsAt: Date;
  status: 'active' | 'revoked';
  parentLicenseId: string | null;
}

const termsOverlap = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) =>
  a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/**
 * The license a new one would clash with, or null. Two licenses of one template clash when their
 * territories overlap (one contains the other), their terms overlap, and either is exclusive.
 * Revoked licenses clash with nothing, and a sub-license never clashes with the licenses above it
 * (`ancestors`), which contain it by design.
 */
export function licenseConflict<T extends LicenseTerms>(
  candidate: Omit<LicenseTerms, 'id' | 'status'> & { id?: string },
  existing: readonly T[],
  ancestors: readonly string[] = [],
): T | null {
  return (
    existing.find(
      (other) =>
        other.id !== candidate.id &&
        other.status === 'active' &&
        !ancestors.includes(other.id) &&
        other.funnelId === candidate.funnelId &&
        (candidate.exclusive || other.exclusive) &&
        territoriesOverlap(candidate.territory, other.territory) &&
        termsOverlap(candidate, other),
    ) ?? null
  );
}

/** In force at `at`: not revoked, and within its term (the end is exclusive). */
export function licenseInForce(license: Pick<LicenseTerms, 'status' | 'startsAt' | 'endsAt'>, at: Date): boolean {
  return license.status === 'active' && license.startsAt <= at && at < license.endsAt;
}

/** Why a cohort cannot run under a license at `startAt` in `territory` (null: the whole territory), or null. */
export function cohortRefusal(
  license: Pick<LicenseTerms, 'status' | 'startsAt' | 'endsAt' | 'territory'>,
  startAt: Date,
  territory: string | null,
): string | null {
  if (license.status !== 'active') return 'the license was revoked';
  if (startAt < license.startsAt || startAt >= license.endsAt) {
    return `startAt must be within the license term (${license.startsAt.toISOString()} to ${license.endsAt.toISOString()})`;
  }
  if (territory && !territoryContains(license.territory, territory)) {
    return `territory ${territory} is outside the licensed territory ${license.territory}`;
  }
  return null;
}

export interface SublicenseParent extends LicenseTerms {
  sublicensing: boolean;
  allowedChanges: ChangeablePart[];
  priceBounds: PriceBounds;
}

/** Problems with a sub-license under `parent`, each naming its field; [] when it may be issued. */
export function sublicenseProblems(
  parent: SublicenseParent,
  child: Pick<LicenseTerms, 'territory' | 'startsAt' | 'endsAt'> & {
    allowedChanges: ChangeablePart[];
    priceBounds: PriceBounds;
  },
): string[] {
  const problems: string[] = [];
  if (!parent.sublicensing) problems.push('parentLicenseId: this license does not allow sub-licensing');
  if (parent.status !== 'active') problems.push('parentLicenseId: this license was revoked');
  if (!territoryContains(parent.territory, child.territory)) {
    problems.push(`territory: must be within ${parent.territory}`);
  }
  if (child.startsAt < parent.startsAt || child.endsAt > parent.endsAt) {
    problems.push('endsAt: the term must lie within the parent license term');
  }
  const extra = child.allowedChanges.filter((p) => !parent.allowedChanges.includes(p));
  if (extra.length) problems.push(`allowedChanges: the parent license does not allow ${extra.join(', ')}`);
  if (
    child.priceBounds.floor.amount < parent.priceBounds.floor.amount ||
    child.priceBounds.ceiling.amount > parent.priceBounds.ceiling.amount
  ) {
    problems.push('priceBounds: must lie within the parent license bounds');
  }
  return problems;
}

/** Problems with a license's own figures, each naming its field. */
export function licenseTermsProblems(terms: {
  startsAt: Date;
  endsAt: Date;
  revenueShareBasisPoints: number;
  priceBounds: PriceBounds;
  fee: Money;
}): string[] {
  const problems: string[] = [];
  if (terms.endsAt <= terms.startsAt) problems.push('endsAt: must be after startsAt');
  const { floor, ceiling } = terms.priceBounds;
  if (floor.currency !== ceiling.currency) problems.push('priceBounds.ceiling.currency: must be the floor currency');
  if (floor.amount > ceiling.amount) problems.push('priceBounds.floor.amount: must not be above the ceiling');
  if (terms.revenueShareBasisPoints < 0 || terms.revenueShareBasisPoints > 10_000) {
    problems.push('revenueShareBasisPoints: must be between 0 and 10000');
  }
  return problems;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a partner's edit of its clone changes that its license does not allow, or prices outside
 * the bounds; each problem names the field. Lesson keys, phases and order are never changed.
 */
export function cloneEditProblems(
  current: FunnelContent,
  proposed: FunnelContent,
  license: { allowedChanges: readonly ChangeablePart[]; priceBounds: PriceBounds },
): FieldError[] {
  const problems: FieldError[] = [];
  const allowed = (part: ChangeablePart) => license.allowedChanges.includes(part);
  const refuse = (field: string, error: string) => problems.push({ field, errors: [error] });
  const locked = (part: ChangeablePart) => `the license does not allow changes to ${part}`;

  if (!allowed('branding')) {
    if (proposed.name !== current.name) refuse('name', locked('branding'));
    if (proposed.defaultLocale !== current.defaultLocale) refuse('defaultLocale', locked('branding'));
    if (proposed.offer.courseName !== current.offer.courseName) refuse('offer.courseName', locked('branding'));
  }
  if (!allowed('schedule') && proposed.offer.deadlineAfter !== current.offer.deadlineAfter) {
    refuse('offer.deadlineAfter', locked('schedule'));
  }
  if (!allowed('schedule') && (proposed.offer.openAfter ?? null) !== (current.offer.openAfter ?? null)) {
    refuse('offer.openAfter', locked('schedule'));
  }
  if (
    !same(
      proposed.lessons.map((l) => [l.key, l.phase]),
      current.lessons.map((l) => [l.key, l.phase]),
    )
  ) {
    refuse('lessons', 'the lessons of a licensed funnel keep their keys, phases and order');
  } else {
    proposed.lessons.forEach((lesson, i) => {
      const before = current.lessons[i];
      if (!allowed('schedule') && !same(lesson.release, before.release))
        refuse(`lessons.${i}.release`, locked('schedule'));
      if (!allowed('lessons')) {
        for (const field of ['title', 'body', 'homework'] as const) {
          if (!same(lesson[field], before[field])) refuse(`lessons.${i}.${field}`, locked('lessons'));
        }
      }
    });
  }

  problems.push(...priceBoundsProblems(proposed.offer, license.priceBounds));
  return problems;
}

/** Offer and ladder prices outside a license's bounds (or in another currency), each naming its field. */
export function priceBoundsProblems(offer: FunnelContent['offer'], bounds: PriceBounds): FieldError[] {
  const problems: FieldError[] = [];
  const { floor, ceiling } = bounds;
  const checkPrice = (field: string, price: Money) => {
    if (price.currency !== floor.currency)
      problems.push({ field: `${field}.currency`, errors: [`must be ${floor.currency}`] });
    else if (price.amount < floor.amount || price.amount > ceiling.amount) {
      problems.push({
        field: `${field}.amount`,
        errors: [`must be between ${floor.amount} and ${ceiling.amount} (the license's price bounds)`],
      });
    }
  };
  checkPrice('offer.listPrice', offer.listPrice);
  offer.priceTiers?.forEach((tier, i) => checkPrice(`offer.priceTiers.${i}.price`, tier.price));
  return problems;
}

export interface ShareDue {
  licenseId: string;
  /** Who receives the share: the licensor organisation, or the platform (null). */
  beneficiaryOrganizationId: string | null;
  basisPoints: number;
}

/** The revenue shares due on one sale, floored to whole minor units; zero shares are left out. */
export function revenueShares(sale: Money, due: readonly ShareDue[]): (ShareDue & { amount: Money })[] {
  return due
    .map((d) => ({
      ...d,
      amount: { amount: Math.floor((sale.amount * d.basisPoints) / 10_000), currency: sale.currency },
    }))
    .filter((d) => d.amount.amount > 0);
}
