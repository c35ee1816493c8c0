import { DEFAULT_ATTENDANCE_POLICY } from '../cohorts/cohort-policies';
import { LessonSpec } from '../funnels/funnel-content';
import { dueChatPosts, lessonsCountingCheckIns, milestoneReached, PostingCohort } from './channel-posts.rules';

const H = 3600_000;
const start = new Date('2027-03-01T12:00:00Z'); // 20:00 in Shanghai

const lessons: LessonSpec[] = [
  { key: 'v1', phase: 'value', title: 'One', body: 'b', release: { after: 'P0D' } },
  {
    key: 'v2',
    phase: 'value',
    title: 'Two',
    body: 'b',
    release: { after: 'P1D' },
    homework: { prompt: 'p', dueAfter: 'P2D' } as LessonSpec['homework'],
  },
  { key: 'c1', phase: 'closing', title: 'Three', body: 'b', release: { after: 'P2D' } },
];

const cohort = (over: Partial<PostingCohort> = {}): PostingCohort => ({
  status: 'running',
  evergreen: false,
  lessons: lessons.map((l, i) => ({
    key: l.key,
    phase: l.phase,
    title: l.title,
    releaseAt: new Date(start.getTime() + i * 24 * H),
  })),
  reminderMinutesBefore: 30,
  attendance: DEFAULT_ATTENDANCE_POLICY,
  offerDeadlineAt: new Date(start.getTime() + 5 * 24 * H),
  ...over,
});
const offer = { openAfter: 'PT2H' };
const at = (ms: number) => new Date(start.getTime() + ms);
const keys = (c: PostingCohort, when: Date, counts = new Map<string, number>()) =>
  dueChatPosts(c, lessons, offer, when, counts).map((p) => p.key);

describe('group posts of a cohort', () => {
  it('announces a class its reminder time before it starts, and not once it has begun', () => {
    expect(keys(cohort(), at(-31 * 60_000))).toEqual([]);
    expect(keys(cohort(), at(-30 * 60_000))).toEqual(['opening:v1']);
    expect(keys(cohort(), at(0))).not.toContain('opening:v1');
  });

  it('announces an hour ahead when the cohort sets no reminder', () => {
    expect(keys(cohort({ reminderMinutesBefore: null }), at(-60 * 60_000))).toEqual(['opening:v1']);
  });

  it('posts a released class while its check-in window is open, and not after downtime past it', () => {
    expect(keys(cohort(), at(0))).toEqual(['released:v1']);
    expect(keys(cohort(), at(23.5 * H))).toEqual(['released:v1', 'opening:v2']);
    // v1's window (24 h) has closed; v2 has just been released.
    expect(keys(cohort(), at(24 * H))).toEqual(['released:v2']);
  });

  it('posts homework due a day before it is due, until it is due', () => {
    // v2 is released at +24 h and due 2 days later, at +72 h: the notice is due at +48 h.
    const posts = dueChatPosts(cohort(), lessons, offer, at(48 * H), new Map());
    expect(posts.map((p) => p.key)).toContain('homework:v2');
    expect(keys(cohort(), at(72 * H))).not.toContain('homework:v2');
  });

  it('opens the offer after the last closing class, until its deadline', () => {
    expect(keys(cohort(), at(50 * H))).toContain('offer');
    expect(keys(cohort(), at(5 * 24 * H))).not.toContain('offer');
  });

  it('posts the highest check-in milestone reached while the window is open, once per count', () => {
    expect(milestoneReached(4)).toBeNull();
    expect(milestoneReached(34)).toBe(30);
    const posts = dueChatPosts(cohort(), lessons, offer, at(H), new Map([['v1', 34]]));
    expect(posts.filter((p) => p.kind === 'milestone')).toEqual([
      { key: 'milestone:v1:30', kind: 'milestone', lessonKey: 'v1', at: at(-15 * 60_000), checkedIn: 30 },
    ]);
    expect(keys(cohort(), at(25 * H), new Map([['v1', 34]]))).not.toContain('milestone:v1:30');
  });

  it('counts check-ins only for classes whose window is open', () => {
    expect(lessonsCountingCheckIns(cohort(), at(-16 * 60_000))).toEqual([]);
    expect(lessonsCountingCheckIns(cohort(), at(-15 * 60_000))).toEqual(['v1']);
    expect(lessonsCountingCheckIns(cohort(), at(24 * H + 1))).toEqual(['v2']);
  });

  it('posts nothing for a cancelled, completed, draft or evergreen cohort', () => {
    for (const status of ['cancelled', 'completed', 'draft'] as const) {
      expect(keys(cohort({ status }), at(0))).toEqual([]);
    }
    expect(keys(cohort({ evergreen: true }), at(0))).toEqual([]);
  });
});
