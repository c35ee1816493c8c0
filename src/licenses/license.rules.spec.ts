import { territoriesOverlap, territoryContains } from '../common/territory';
import { defaultFunnels } from '../funnels/default-funnels';
import {
  cloneEditProblems,
  cohortRefusal,
  licenseConflict,
  licenseInForce,
  LicenseTerms,
  revenueShares,
  sublicenseProblems,
} from './license.rules';

const d = (iso: string) => new Date(iso);
const license = (overrides: Partial<LicenseTerms> = {}): LicenseTerms => ({
  id: 'l1',
  funnelId: 'f',
  territory: 'CN/44',
  exclusive: true,
  startsAt: d('2026-01-01'),
  endsAt: d('2027-01-01'),
  status: 'active',
  parentLicenseId: null,
  ...overrides,
});

describe('territories', () => {
  it('contain themselves and what lies below them, nothing beside', () => {
    expect(territoryContains('CN/44', 'CN/44/4403')).toBe(true);
    expect(territoryContains('CN/44', 'CN/44')).toBe(true);
    expect(territoryContains('CN/44', 'CN/4')).toBe(false);
    expect(territoryContains('CN/4', 'CN/44')).toBe(false);
    expect(territoriesOverlap('CN/44/4403', 'CN')).toBe(true);
    expect(territoriesOverlap('CN/44', 'CN/11')).toBe(false);
  });
});

describe('license conflicts', () => {
  const existing = [license()];
  it('refuses an exclusive overlap in territory and term for the same template', () => {
    const city = { ...license({ territory: 'CN/44/4403', exclusive: false }), id: undefined };
    expect(licenseConflict(city, existing)?.id).toBe('l1');
    expect(licenseConflict({ ...city, territory: 'CN' }, existing)?.id).toBe('l1');
  });
  it('allows other templates, other territories, later terms, revoked licenses, and non-exclusive pairs', () => {
    const base = { ...license({ territory: 'CN/44/4403' }), id: undefined };
    expect(licenseConflict({ ...base, funnelId: 'g' }, existing)).toBeNull();
    expect(licenseConflict({ ...base, territory: 'CN/11' }, existing)).toBeNull();
    expect(licenseConflict({ ...base, startsAt: d('2027-01-01'), endsAt: d('2028-01-01') }, existing)).toBeNull();
    expect(licenseConflict(base, [license({ status: 'revoked' })])).toBeNull();
    expect(licenseConflict({ ...base, exclusive: false }, [license({ exclusive: false })])).toBeNull();
  });
  it('lets a sub-license lie inside its own parent', () => {
    const sub = { ...license({ territory: 'CN/44/4403', parentLicenseId: 'l1' }), id: undefined };
    expect(licenseConflict(sub, existing, ['l1'])).toBeNull();
  });
});

describe('license in force', () => {
  it('runs from its start to (not including) its end, unless revoked', () => {
    expect(licenseInForce(license(), d('2026-06-01'))).toBe(true);
    expect(licenseInForce(license(), d('2027-01-01'))).toBe(false);
    expect(licenseInForce(license(), d('2025-12-31'))).toBe(false);
    expect(licenseInForce(license({ status: 'revoked' }), d('2026-06-01'))).toBe(false);
  });
  it('refuses cohorts outside the term or territory, naming why', () => {
    expect(cohortRefusal(license(), d('2026-06-01'), 'CN/44/4403')).toBeNull();
    expect(cohortRefusal(license(), d('2026-06-01'), null)).toBeNull();
    expect(cohortRefusal(license(), d('2027-02-01'), null)).toContain('startAt must be within the license term');
    expect(cohortRefusal(license(), d('2026-06-01'), 'CN/11')).toBe(
      'territory CN/11 is outside the licensed territory CN/44',
    );
  });
});

describe('sub-licenses', () => {
  const cny = (amount: number) => ({ amount, currency: 'CNY' });
  const parent = {
    ...license(),
    sublicensing: true,
    allowedChanges: ['schedule' as const, 'messages' as const],
    priceBounds: { floor: cny(9900), ceiling: cny(29900) },
  };
  const child = {
    territory: 'CN/44/4403',
    startsAt: d('2026-02-01'),
    endsAt: d('2026-12-01'),
    allowedChanges: ['schedule' as const],
    priceBounds: { floor: cny(9900), ceiling: cny(19900) },
  };
  it('may be issued within the parent’s territory, term, permissions and bounds', () => {
    expect(sublicenseProblems(parent, child)).toEqual([]);
  });
  it('never beyond them', () => {
    expect(
      sublicenseProblems(parent, {
        ...child,
        territory: 'CN/11',
        endsAt: d('2027-06-01'),
        allowedChanges: ['lessons'],
        priceBounds: { floor: cny(100), ceiling: cny(19900) },
      }),
    ).toEqual([
      'territory: must be within CN/44',
      'endsAt: the term must lie within the parent license term',
      'allowedChanges: the parent license does not allow lessons',
      'priceBounds: must lie within the parent license bounds',
    ]);
    expect(sublicenseProblems({ ...parent, sublicensing: false }, child)).toEqual([
      'parentLicenseId: this license does not allow sub-licensing',
    ]);
  });
});

describe('clone edits', () => {
  const content = defaultFunnels[0].content;
  const bounds = { floor: { amount: 9900, currency: 'CNY' }, ceiling: { amount: 29900, currency: 'CNY' } };
  it('accepts changes the license allows, with prices in bounds', () => {
    const edited = {
      ...content,
      lessons: content.lessons.map((l) => ({ ...l, release: { ...l.release, at: '19:30' } })),
      offer: { ...content.offer, listPrice: { amount: 15900, currency: 'CNY' }, priceTiers: [] },
    };
    expect(cloneEditProblems(content, edited, { allowedChanges: ['schedule'], priceBounds: bounds })).toEqual([]);
  });
  it('names locked parts and prices out of bounds', () => {
    const edited = {
      ...content,
      name: 'Renamed',
      lessons: content.lessons.map((l, i) => (i === 1 ? { ...l, body: 'New words' } : l)),
      offer: { ...content.offer, listPrice: { amount: 39900, currency: 'CNY' } },
    };
    expect(
      cloneEditProblems(content, edited, { allowedChanges: ['schedule'], priceBounds: bounds }).map((p) => p.field),
    ).toEqual(['name', 'lessons.1.body', 'offer.listPrice.amount', 'offer.priceTiers.1.price.amount']);
    const reordered = { ...content, lessons: [...content.lessons].reverse() };
    expect(
      cloneEditProblems(content, reordered, { allowedChanges: [...['lessons' as const]], priceBounds: bounds })[0],
    ).toEqual({
      field: 'lessons',
      errors: ['the lessons of a licensed funnel keep their keys, phases and order'],
    });
  });
});

describe('revenue shares', () => {
  it('floors each share and leaves out zeros', () => {
    expect(
      revenueShares({ amount: 19900, currency: 'CNY' }, [
        { licenseId: 'l1', beneficiaryOrganizationId: null, basisPoints: 1500 },
        { licenseId: 'l2', beneficiaryOrganizationId: 'org-a', basisPoints: 1000 },
        { licenseId: 'l3', beneficiaryOrganizationId: 'org-b', basisPoints: 0 },
      ]),
    ).toEqual([
      {
        licenseId: 'l1',
        beneficiaryOrganizationId: null,
        basisPoints: 1500,
        amount: { amount: 2985, currency: 'CNY' },
      },
      {
        licenseId: 'l2',
        beneficiaryOrganizationId: 'org-a',
        basisPoints: 1000,
        amount: { amount: 1990, currency: 'CNY' },
      },
    ]);
  });
});
