import { FunnelContent } from '../funnels/funnel-content';
import {
  cohortInputOf,
  errorsByField,
  funnelFieldsFrom,
  funnelFieldsOf,
  funnelInputOf,
  instantInZone,
  localInputOf,
  majorUnitsOf,
  minorUnitsOf,
} from './console-forms';

describe('console forms', () => {
  it('reads a wall time in the cohort zone, DST included, and passes anything else on as typed', () => {
    expect(instantInZone('2026-03-01T20:00', 'Asia/Shanghai')).toBe('2026-03-01T20:00:00+08:00');
    expect(instantInZone('2026-03-29T20:00', 'Europe/Berlin')).toBe('2026-03-29T20:00:00+02:00');
    expect(instantInZone('2026-03-28T20:00', 'Europe/Berlin')).toBe('2026-03-28T20:00:00+01:00');
    expect(instantInZone('tomorrow', 'Asia/Shanghai')).toBe('tomorrow');
    expect(localInputOf(new Date('2026-03-01T12:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-01T20:00');
  });

  it('turns typed major units into minor units per currency, refusing what is not an amount', () => {
    expect(minorUnitsOf('199.00', 'CNY')).toBe(19900);
    expect(minorUnitsOf('¥ 49.5', 'CNY')).toBe(4950);
    expect(minorUnitsOf('1200', 'JPY')).toBe(1200);
    expect(minorUnitsOf('12.5', 'JPY')).toBe('12.5');
    expect(minorUnitsOf('1.999', 'CNY')).toBe('1.999');
    expect(minorUnitsOf('free', 'CNY')).toBe('free');
    expect(majorUnitsOf(19900, 'CNY')).toBe('199.00');
  });

  it('shows each error at the longest field it belongs to, and the rest at the top of the form', () => {
    const errors = errorsByField(
      [
        { field: 'offer.listPrice.amount', errors: ['amount must be an integer number'] },
        { field: 'lessons.0.homework.rubric.1.points', errors: ['points must not be less than 1'] },
        { field: 'somewhere', errors: ['odd'] },
      ],
      ['offer.listPrice', 'lessons.0', 'lessons.0.homework.rubric'],
    );
    expect(errors).toEqual({
      'offer.listPrice': ['amount must be an integer number'],
      'lessons.0.homework.rubric': ['points must not be less than 1'],
      _form: ['somewhere: odd'],
    });
  });

  it('gives the API the cohort as typed, numbers as numbers only when they are numbers', () => {
    expect(
      cohortInputOf({
        funnelId: 'f',
        name: ' March ',
        startAt: '2026-03-01T20:00',
        timezone: 'Asia/Shanghai',
        capacity: 'many',
      }),
    ).toMatchObject({
      name: 'March',
      startAt: '2026-03-01T20:00:00+08:00',
      capacity: 'many',
      reminderMinutesBefore: undefined,
    });
  });

  it('round-trips a funnel through its form, and the form buttons add and remove lessons', () => {
    const content: FunnelContent = {
      name: 'Calm parents',
      defaultLocale: 'zh-CN',
      lessons: [
        { key: 'v1', phase: 'value', title: 'One', body: 'Hi', release: { after: 'PT0S' } },
        {
          key: 'c1',
          phase: 'closing',
          title: 'Two',
          body: 'Buy',
          release: { after: 'P1D', at: '20:00' },
          homework: {
            prompt: 'Write',
            dueAfter: 'P1D',
            maxScore: 10,
            passScore: 6,
            rubric: [{ key: 'effort', name: 'Effort', points: 10 }],
            latePolicy: { kind: 'refuse' },
            resubmitBeforeGrading: true,
          },
        },
      ],
      offer: {
        courseName: 'Course',
        listPrice: { amount: 19900, currency: 'CNY' },
        deadlineAfter: 'P3D',
        priceTiers: [{ minReferrals: 3, price: { amount: 9900, currency: 'CNY' } }],
      },
    };
    const fields = funnelFieldsOf(content);
    const posted: Record<string, string> = { name: fields.name, defaultLocale: fields.defaultLocale };
    for (const l of fields.lessons) {
      Object.assign(posted, {
        [`lessons.${l.index}.key`]: l.key,
        [`lessons.${l.index}.phase`]: l.phase,
        [`lessons.${l.index}.title`]: l.title,
        [`lessons.${l.index}.body`]: l.body,
        [`lessons.${l.index}.release.after`]: l.after,
        [`lessons.${l.index}.release.at`]: l.at,
        [`lessons.${l.index}.homework.prompt`]: l.homework.prompt,
        [`lessons.${l.index}.homework.dueAfter`]: l.homework.dueAfter,
        [`lessons.${l.index}.homework.maxScore`]: l.homework.maxScore,
        [`lessons.${l.index}.homework.passScore`]: l.homework.passScore,
        [`lessons.${l.index}.homework.rubric`]: l.homework.rubric,
      });
    }
    Object.assign(posted, {
      'offer.courseName': 'Course',
      'offer.listPrice': fields.offer.listPrice,
      'offer.currency': 'cny',
      'offer.deadlineAfter': 'P3D',
      'offer.priceTiers': fields.offer.priceTiers,
    });
    expect(funnelInputOf(funnelFieldsFrom(posted))).toEqual({ ...content, offer: { ...content.offer } });
    expect(funnelFieldsFrom(posted, { add: true }).lessons.map((l) => l.index)).toEqual([0, 1, 2]);
    expect(funnelFieldsFrom(posted, { remove: 0 }).lessons.map((l) => l.key)).toEqual(['c1']);
  });
});
