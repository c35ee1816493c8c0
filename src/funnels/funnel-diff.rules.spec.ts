import { FunnelContent } from './funnel-content';
import { funnelChanges } from './funnel-diff.rules';

const base: FunnelContent = {
  name: 'Bootcamp',
  defaultLocale: 'zh-CN',
  lessons: [
    { key: 'v1', phase: 'value', title: 'One', body: 'Hello', release: { after: 'PT0S' } },
    { key: 'v2', phase: 'value', title: 'Two', body: 'World', release: { after: 'P1D' } },
  ],
  offer: { courseName: 'Course', listPrice: { amount: 19900, currency: 'CNY' }, deadlineAfter: 'P3D' },
};

describe('funnelChanges', () => {
  it('finds nothing between equal versions', () => {
    expect(funnelChanges(base, structuredClone(base))).toEqual([]);
  });

  it('names each changed, added and removed field by path, lessons by key', () => {
    const next = structuredClone(base);
    next.lessons[0].title = 'One, better';
    next.lessons.splice(1, 1);
    next.lessons.push({ key: 'c1', phase: 'closing', title: 'Close', body: 'Buy', release: { after: 'P2D' } });
    next.offer.listPrice.amount = 29900;
    expect(funnelChanges(base, next)).toEqual(
      expect.arrayContaining([
        { path: 'lessons[v1].title', before: 'One', after: 'One, better' },
        { path: 'lessons[c1].title', before: null, after: 'Close' },
        { path: 'lessons[v2].body', before: 'World', after: null },
        { path: 'offer.listPrice.amount', before: '19900', after: '29900' },
      ]),
    );
    expect(funnelChanges(base, next).some((c) => c.path.startsWith('lessons[v1].body'))).toBe(false);
  });

  it('reads a reordering of lessons as no change to their content', () => {
    const next = structuredClone(base);
    next.lessons.reverse();
    expect(funnelChanges(base, next)).toEqual([]);
  });
});
