import { mostPostsInWindow, nextTryAt, slotAt, slotLengthMs } from './pacing.rules';

describe('channel pacing', () => {
  it.each([
    ['a WeCom robot', { limit: 20, windowMs: 60_000 }],
    ['a DingTalk robot', { limit: 20, windowMs: 60_000 }],
    ['a Feishu bot', { limit: 5, windowMs: 1_000 }],
    ['a Slack webhook', { limit: 1, windowMs: 1_000 }],
  ])('never lets %s take more than its limit in any window', (_name, rate) => {
    const slot = slotLengthMs(rate);
    // A limit of one per window still allows two posts a moment apart across a slot boundary.
    expect(mostPostsInWindow(slot, rate.windowMs)).toBeLessThanOrEqual(Math.max(rate.limit, 2));
    if (rate.limit > 1) expect(mostPostsInWindow(slot, rate.windowMs)).toBeLessThanOrEqual(rate.limit);
  });

  it('counts posts in a sliding minute the hard way: 20 a minute for WeCom at most', () => {
    const slot = slotLengthMs({ limit: 20, windowMs: 60_000 });
    // One post at the very start of every slot is the densest the pacing allows.
    const posts = Array.from({ length: 200 }, (_, i) => i * slot);
    for (let start = 0; start < 100 * slot; start += 97) {
      expect(posts.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(20);
    }
  });

  it('sends a post that lost its slot to the next one, and those behind it further on', () => {
    const slot = slotLengthMs({ limit: 20, windowMs: 60_000 });
    const now = new Date(10 * slot + 5);
    expect(slotAt(now, slot)).toBe(10);
    expect(nextTryAt(10, slot, 0).getTime()).toBe(11 * slot);
    expect(nextTryAt(10, slot, 2).getTime()).toBe(13 * slot);
  });
});
