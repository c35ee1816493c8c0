import { defaultFunnels } from '../funnels/default-funnels';
import { FunnelContent } from '../funnels/funnel-content';
import { mergeUpstream, missingChoices, upstreamChanges } from './upstream.rules';

const base: FunnelContent = defaultFunnels[1].content;
const withBody = (content: FunnelContent, key: string, body: string): FunnelContent => ({
  ...content,
  lessons: content.lessons.map((l) => (l.key === key ? { ...l, body } : l)),
});

describe('upstream changes', () => {
  // The licensor rewrote class 2, added a class, raised the price; the partner rewrote class 2 and class 3.
  const extra = { ...base.lessons[2], key: 'v4', title: 'Class 3b: Bedtime' };
  const upstream: FunnelContent = {
    ...withBody(base, 'v2', 'Licensor wording'),
    lessons: [...withBody(base, 'v2', 'Licensor wording').lessons.slice(0, 3), extra, ...base.lessons.slice(3)],
    offer: { ...base.offer, listPrice: { amount: 5900, currency: 'USD' } },
  };
  const local = withBody(withBody(base, 'v2', 'Our wording'), 'v3', 'Our class 3');

  it('lists each item the licensor changed, and whether the partner changed it too', () => {
    expect(upstreamChanges(base, upstream, local)).toEqual([
      { item: 'offer', locallyChanged: false, fields: ['listPrice'] },
      { item: 'lessons.v2', locallyChanged: true, fields: ['body'] },
      { item: 'lessons.v4', locallyChanged: false, fields: ['added'] },
    ]);
    expect(upstreamChanges(base, base, local)).toEqual([]);
  });

  it('needs a choice for every change: nothing is overwritten silently', () => {
    const changes = upstreamChanges(base, upstream, local);
    expect(missingChoices(changes, { offer: 'upstream' })).toEqual(['choices.lessons.v2', 'choices.lessons.v4']);
  });

  it('takes exactly the chosen items from upstream and keeps the partner’s own edits', () => {
    const merged = mergeUpstream(local, upstream, {
      offer: 'upstream',
      'lessons.v2': 'local',
      'lessons.v4': 'upstream',
    });
    expect(merged.offer.listPrice.amount).toBe(5900);
    expect(merged.lessons.map((l) => l.key)).toEqual(['v1', 'v2', 'v3', 'v4', 'c1', 'c2', 'c3', 'c4']);
    expect(merged.lessons.find((l) => l.key === 'v2')?.body).toBe('Our wording');
    expect(merged.lessons.find((l) => l.key === 'v3')?.body).toBe('Our class 3');
    const theirs = mergeUpstream(local, upstream, { offer: 'local', 'lessons.v2': 'upstream', 'lessons.v4': 'local' });
    expect(theirs.lessons.find((l) => l.key === 'v2')?.body).toBe('Licensor wording');
    expect(theirs.lessons).toHaveLength(7);
    expect(theirs.offer.listPrice.amount).toBe(4900);
  });

  it('drops a lesson the licensor removed only when chosen', () => {
    const removed: FunnelContent = { ...base, lessons: base.lessons.filter((l) => l.key !== 'c4') };
    expect(upstreamChanges(base, removed, base)).toEqual([
      { item: 'lessons.c4', locallyChanged: false, fields: ['removed'] },
    ]);
    expect(mergeUpstream(base, removed, { 'lessons.c4': 'upstream' }).lessons).toHaveLength(6);
    expect(mergeUpstream(base, removed, { 'lessons.c4': 'local' }).lessons).toHaveLength(7);
  });
});
