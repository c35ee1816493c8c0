import { bucketKey, mergeCounts, moveDelta, perBucket, sumTallies, tallyOpId } from './outbox-tally.rules';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const zero = { pending: 0, sent: 0, dead: 0, cancelled: 0 };

describe('outbox tally rules', () => {
  it('moves n messages out of one status and into another; new ones come from nowhere', () => {
    expect(moveDelta('pending', 'sent', 50)).toEqual({ ...zero, pending: -50, sent: 50 });
    expect(moveDelta(null, 'pending', 250)).toEqual({ ...zero, pending: 250 });
    // Counting back out what a write did not move is the reverse move.
    expect(sumTallies([moveDelta('pending', 'dead', 3), moveDelta('dead', 'pending', 3)])).toEqual(zero);
  });

  it('names a write the same on every retry, whatever the order of its messages', () => {
    const id = tallyOpId('pending>sent', ['m1:0', 'm2:0']);
    expect(tallyOpId('pending>sent', ['m2:0', 'm1:0'])).toBe(id);
    expect(tallyOpId('pending>sent', ['m1:0', 'm2:1'])).not.toBe(id);
    expect(tallyOpId('pending>cancelled', ['m1:0', 'm2:0'])).not.toBe(id);
  });

  it('groups a write by cohort and kind', () => {
    const groups = perBucket([
      { id: 'a', cohortId: 'c1', kind: 'lesson' },
      { id: 'b', cohortId: null, kind: 'confirm' },
      { id: 'c', cohortId: 'c1', kind: 'lesson' },
    ]);
    expect(groups.map((g) => [bucketKey(g.bucket), g.messages.map((m) => m.id)])).toEqual([
      ['c1:lesson', ['a', 'c']],
      ['-:confirm', ['b']],
    ]);
  });

  it('counts a total plus the tallies after its cut, and never a tally the total holds', () => {
    const rows = mergeCounts(
      [{ cohortId: 'c1', kind: 'lesson', ...zero, pending: 100, cut: at(10) }],
      [
        // Folded already (at or before the cut) but not yet deleted: not counted again.
        { cohortId: 'c1', kind: 'lesson', ...zero, pending: 100, at: at(5) },
        { cohortId: 'c1', kind: 'lesson', ...zero, pending: -50, sent: 50, at: at(11) },
        { cohortId: 'c1', kind: 'lesson', ...zero, pending: -50, sent: 50, at: at(12) },
        // A bucket with no total yet.
        { cohortId: null, kind: 'confirm', ...zero, pending: 1, at: at(1) },
      ],
    );
    expect(rows).toEqual([
      { cohortId: 'c1', kind: 'lesson', ...zero, sent: 100 },
      { cohortId: null, kind: 'confirm', ...zero, pending: 1 },
    ]);
  });
});
