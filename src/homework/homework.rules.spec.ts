import { DomainError } from '../common/domain-error';
import { CriterionScore, autoCheckFlags, gradeTotal, homeworkDueAt, lateness } from './homework.rules';
import { HomeworkSpec, LatePolicy, homeworkSpecProblems } from '../funnels/homework-spec';

/** A realistic essay assignment: 10 points over three criteria, pass at 6, 10 % off per day for 3 days. */
const essay: HomeworkSpec = {
  prompt: 'Write **one page** on how you would apply spaced repetition to your own learning.',
  dueAfter: 'P2D',
  maxScore: 10,
  passScore: 6,
  rubric: [
    { key: 'idea', name: 'Clear idea', points: 4, description: 'States one concrete plan' },
    { key: 'example', name: 'Worked example', points: 4 },
    { key: 'style', name: 'Readable', points: 2 },
  ],
  latePolicy: { kind: 'penalty', percentPerDay: 10, cutoffDays: 3 },
  resubmitBeforeGrading: true,
  autoCheck: { minLength: 200, requiredKeywords: ['spaced repetition'] },
};

const spec = (changes: Partial<HomeworkSpec>): HomeworkSpec => ({ ...essay, ...changes });

describe('homework spec problems', () => {
  it('finds none in a valid spec', () => {
    expect(homeworkSpecProblems(essay)).toEqual([]);
    expect(homeworkSpecProblems(spec({ latePolicy: { kind: 'refuse' }, autoCheck: undefined }))).toEqual([]);
  });

  it('accepts the pass-mark boundaries 0 and maxScore', () => {
    expect(homeworkSpecProblems(spec({ passScore: 0 }))).toEqual([]);
    expect(homeworkSpecProblems(spec({ passScore: 10 }))).toEqual([]);
  });

  it('refuses a maxScore that is not the sum of rubric points, naming the sum', () => {
    expect(homeworkSpecProblems(spec({ maxScore: 12, passScore: 6 }))).toEqual([
      'maxScore must equal the sum of rubric points (10)',
    ]);
  });

  it('refuses duplicate rubric keys, naming the later criterion', () => {
    const rubric = [
      { key: 'idea', name: 'Clear idea', points: 5 },
      { key: 'idea', name: 'Another idea', points: 5 },
    ];
    expect(homeworkSpecProblems(spec({ rubric }))).toEqual(['rubric.1.key must be unique; idea is already used']);
  });

  it.each([0, -2, 1.5, Number.NaN])('refuses %p rubric points', (points) => {
    const rubric = [
      { key: 'idea', name: 'Clear idea', points: 8 },
      { key: 'style', name: 'Readable', points },
    ];
    expect(homeworkSpecProblems(spec({ rubric, maxScore: 8 + points, passScore: 0 }))).toContain(
      'rubric.1.points must be a positive whole number',
    );
  });

  it('refuses an empty rubric', () => {
    expect(homeworkSpecProblems(spec({ rubric: [], maxScore: 0, passScore: 0 }))).toEqual([
      'rubric must have at least one criterion',
    ]);
  });

  it.each([-1, 11, Number.NaN])('refuses a passScore of %p', (passScore) => {
    expect(homeworkSpecProblems(spec({ passScore }))).toEqual(['passScore must be between 0 and maxScore (10)']);
  });

  it.each(['2 days', '', 'P', 'PT-30M', 'P2X'])('refuses %p as dueAfter', (dueAfter) => {
    expect(homeworkSpecProblems(spec({ dueAfter }))).toEqual([
      `dueAfter must be an ISO-8601 duration such as P2D or PT30M (got ${JSON.stringify(dueAfter)})`,
    ]);
  });

  it('refuses a zero dueAfter: everything would be late', () => {
    expect(homeworkSpecProblems(spec({ dueAfter: 'PT0M' }))).toEqual(['dueAfter must be longer than zero']);
  });

  it.each(['PT30M', 'P1DT12H', 'P1W'])('accepts %p as dueAfter', (dueAfter) => {
    expect(homeworkSpecProblems(spec({ dueAfter }))).toEqual([]);
  });

  it.each([-1, 100.5, Number.NaN])('refuses a late penalty of %p percent per day', (percentPerDay) => {
    expect(homeworkSpecProblems(spec({ latePolicy: { kind: 'penalty', percentPerDay, cutoffDays: 3 } }))).toEqual([
      'latePolicy.percentPerDay must be between 0 and 100',
    ]);
  });

  it('accepts a late penalty of 0 and of 100 percent per day', () => {
    expect(homeworkSpecProblems(spec({ latePolicy: { kind: 'penalty', percentPerDay: 0, cutoffDays: 7 } }))).toEqual(
      [],
    );
    expect(homeworkSpecProblems(spec({ latePolicy: { kind: 'penalty', percentPerDay: 100, cutoffDays: 1 } }))).toEqual(
      [],
    );
  });

  it.each([0, -1, 2.5])('refuses a cutoff of %p days', (cutoffDays) => {
    expect(homeworkSpecProblems(spec({ latePolicy: { kind: 'penalty', percentPerDay: 10, cutoffDays } }))).toEqual([
      'latePolicy.cutoffDays must be a whole number of days, 1 or more',
    ]);
  });

  it('refuses an empty prompt and bad auto-check settings', () => {
    expect(homeworkSpecProblems(spec({ prompt: '  \n' }))).toEqual(['prompt must not be empty']);
    expect(homeworkSpecProblems(spec({ autoCheck: { minLength: -1 } }))).toEqual([
      'autoCheck.minLength must be a whole number, 0 or more',
    ]);
    expect(homeworkSpecProblems(spec({ autoCheck: { requiredKeywords: ['recall', ' '] } }))).toEqual([
      'autoCheck.requiredKeywords.1 must not be empty',
    ]);
  });

  it('reports every problem at once, in field order', () => {
    const broken = spec({
      dueAfter: 'soon',
      maxScore: 9,
      passScore: 20,
      rubric: [
        { key: 'a', name: 'A', points: 5 },
        { key: 'a', name: 'A again', points: 0 },
      ],
      latePolicy: { kind: 'penalty', percentPerDay: 150, cutoffDays: 0 },
    });
    expect(homeworkSpecProblems(broken)).toEqual([
      'dueAfter must be an ISO-8601 duration such as P2D or PT30M (got "soon")',
      'rubric.1.key must be unique; a is already used',
      'rubric.1.points must be a positive whole number',
      'maxScore must equal the sum of rubric points (5)',
      'passScore must be between 0 and maxScore (9)',
      'latePolicy.percentPerDay must be between 0 and 100',
      'latePolicy.cutoffDays must be a whole number of days, 1 or more',
    ]);
  });
});

describe('homework due time', () => {
  const releasedAt = new Date('2026-03-03T12:00:00Z');

  it('is dueAfter past the release', () => {
    expect(homeworkDueAt(releasedAt, { dueAfter: 'P2D' }).toISOString()).toBe('2026-03-05T12:00:00.000Z');
    expect(homeworkDueAt(releasedAt, { dueAfter: 'PT30M' }).toISOString()).toBe('2026-03-03T12:30:00.000Z');
    expect(homeworkDueAt(releasedAt, { dueAfter: 'P1DT6H' }).toISOString()).toBe('2026-03-04T18:00:00.000Z');
  });

  it('counts days as exactly 24 hours, even across a DST change somewhere', () => {
    // Europe switches to summer time on 29 March 2026; UTC instants do not care.
    const saturday = new Date('2026-03-28T19:00:00Z');
    expect(homeworkDueAt(saturday, { dueAfter: 'P2D' }).toISOString()).toBe('2026-03-30T19:00:00.000Z');
  });

  it('refuses a malformed duration instead of returning an invalid date', () => {
    expect(() => homeworkDueAt(releasedAt, { dueAfter: 'two days' })).toThrow('not an ISO-8601 duration: two days');
  });
});

describe('lateness', () => {
  const dueAt = new Date('2026-03-05T12:00:00Z');
  const DAY = 24 * 3600_000;
  const after = (ms: number) => new Date(dueAt.getTime() + ms);
  const penalty: LatePolicy = { kind: 'penalty', percentPerDay: 10, cutoffDays: 3 };
  const refuse: LatePolicy = { kind: 'refuse' };

  it('takes submissions up to and including the due time at no cost', () => {
    const onTime = { accepted: true, daysLate: 0, penaltyPercent: 0 };
    expect(lateness(after(-DAY), dueAt, penalty)).toEqual(onTime);
    expect(lateness(dueAt, dueAt, penalty)).toEqual(onTime);
    expect(lateness(dueAt, dueAt, refuse)).toEqual(onTime);
  });

  it('refuses any lateness under the refuse policy, even one millisecond', () => {
    expect(lateness(after(1), dueAt, refuse)).toEqual({ accepted: false, reason: 'past_due' });
    expect(lateness(after(5 * DAY), dueAt, refuse)).toEqual({ accepted: false, reason: 'past_due' });
  });

  it('counts started days: 1 ms late is one day, exactly 24 h is still one day', () => {
    expect(lateness(after(1), dueAt, penalty)).toEqual({ accepted: true, daysLate: 1, penaltyPercent: 10 });
    expect(lateness(after(DAY), dueAt, penalty)).toEqual({ accepted: true, daysLate: 1, penaltyPercent: 10 });
    expect(lateness(after(DAY + 1), dueAt, penalty)).toEqual({ accepted: true, daysLate: 2, penaltyPercent: 20 });
  });

  it('takes submissions through the last cutoff day and refuses them after', () => {
    expect(lateness(after(3 * DAY), dueAt, penalty)).toEqual({ accepted: true, daysLate: 3, penaltyPercent: 30 });
    expect(lateness(after(3 * DAY + 1), dueAt, penalty)).toEqual({ accepted: false, reason: 'past_cutoff' });
  });

  it('caps the penalty at 100 percent', () => {
    const steep: LatePolicy = { kind: 'penalty', percentPerDay: 40, cutoffDays: 5 };
    expect(lateness(after(2 * DAY), dueAt, steep)).toEqual({ accepted: true, daysLate: 2, penaltyPercent: 80 });
    expect(lateness(after(3 * DAY), dueAt, steep)).toEqual({ accepted: true, daysLate: 3, penaltyPercent: 100 });
    expect(lateness(after(5 * DAY), dueAt, steep)).toEqual({ accepted: true, daysLate: 5, penaltyPercent: 100 });
  });

  it('records days late without a cost when the penalty is 0 percent', () => {
    const lenient: LatePolicy = { kind: 'penalty', percentPerDay: 0, cutoffDays: 7 };
    expect(lateness(after(4 * DAY), dueAt, lenient)).toEqual({ accepted: true, daysLate: 4, penaltyPercent: 0 });
  });
});

describe('grade total', () => {
  const full: CriterionScore[] = [
    { key: 'idea', score: 4, feedback: 'Concrete and testable.' },
    { key: 'example', score: 3 },
    { key: 'style', score: 1 },
  ];

  /** The DomainError gradeTotal throws, for asserting on its fields. */
  function gradeError(scores: CriterionScore[]): DomainError {
    try {
      gradeTotal(essay, scores, 0);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('expected gradeTotal to refuse the scores');
  }

  it('adds up the criteria when on time', () => {
    expect(gradeTotal(essay, full, 0)).toEqual({ rawScore: 8, penaltyPoints: 0, total: 8, passed: true });
  });

  it('accepts scores in any order, including 0 and full points', () => {
    const scores = [
      { key: 'style', score: 2 },
      { key: 'example', score: 0 },
      { key: 'idea', score: 4 },
    ];
    expect(gradeTotal(essay, scores, 0)).toEqual({ rawScore: 6, penaltyPoints: 0, total: 6, passed: true });
  });

  it('passes exactly at passScore and fails one point below', () => {
    const six = [
      { key: 'idea', score: 3 },
      { key: 'example', score: 2 },
      { key: 'style', score: 1 },
    ];
    expect(gradeTotal(essay, six, 0).passed).toBe(true);
    expect(gradeTotal(essay, [...six.slice(0, 2), { key: 'style', score: 0 }], 0)).toEqual({
      rawScore: 5,
      penaltyPoints: 0,
      total: 5,
      passed: false,
    });
  });

  it('takes the late penalty off in rounded points, which can fail a late submission', () => {
    // Two days late at 10 % a day: 8 * 20 / 100 = 1.6, rounded to 2 points.
    expect(gradeTotal(essay, full, 20)).toEqual({ rawScore: 8, penaltyPoints: 2, total: 6, passed: true });
    // Three days late: 8 * 30 / 100 = 2.4, rounded to 2 points.
    expect(gradeTotal(essay, full, 30)).toEqual({ rawScore: 8, penaltyPoints: 2, total: 6, passed: true });
    // 8 * 25 / 100 = 2 exactly; 7 * 50 / 100 = 3.5 rounds up to 4.
    expect(gradeTotal(essay, full, 25).penaltyPoints).toBe(2);
    const seven = [...full.slice(0, 2), { key: 'style', score: 0 }];
    expect(gradeTotal(essay, seven, 50)).toEqual({ rawScore: 7, penaltyPoints: 4, total: 3, passed: false });
  });

  it('never goes below 0 and fails a 100 percent penalty unless the pass mark is 0', () => {
    expect(gradeTotal(essay, full, 100)).toEqual({ rawScore: 8, penaltyPoints: 8, total: 0, passed: false });
    expect(gradeTotal({ ...essay, passScore: 0 }, full, 100).passed).toBe(true);
  });

  it('refuses a penalty outside 0..100 as a programming error', () => {
    expect(() => gradeTotal(essay, full, -10)).toThrow(RangeError);
    expect(() => gradeTotal(essay, full, 120)).toThrow('penaltyPercent must be between 0 and 100 (got 120)');
  });

  it.each([
    ['missing', [full[0], full[1]], 'scores.style', 'missing; every criterion needs a score'],
    ['unknown', [...full, { key: 'grammar', score: 1 }], 'scores.grammar', 'not a criterion of this rubric'],
    ['duplicated', [...full, { key: 'idea', score: 2 }], 'scores.idea', 'scored more than once'],
    [
      'not an integer',
      [full[0], { key: 'example', score: 2.5 }, full[2]],
      'scores.example',
      'must be a whole number of points',
    ],
    [
      'NaN',
      [full[0], full[1], { key: 'style', score: Number.NaN }],
      'scores.style',
      'must be a whole number of points',
    ],
    ['negative', [full[0], { key: 'example', score: -1 }, full[2]], 'scores.example', 'must be 0 or more'],
    ['above its points', [full[0], full[1], { key: 'style', score: 3 }], 'scores.style', 'must be at most 2'],
  ])('refuses a %s criterion score, naming the field', (_case, scores, field, error) => {
    const refused = gradeError(scores);
    expect(refused.kind).toBe('invalid');
    expect(refused.code).toBe('invalid_grade');
    expect(refused.message).toBe(`${field}: ${error}`);
    expect(refused.extra.fields).toEqual([{ field, errors: [error] }]);
  });

  it('lists every bad score in the details, the first in the message', () => {
    const refused = gradeError([
      { key: 'idea', score: 5 },
      { key: 'grammar', score: 1 },
    ]);
    expect(refused.message).toBe('scores.idea: must be at most 4');
    expect(refused.extra.fields).toEqual([
      { field: 'scores.idea', errors: ['must be at most 4'] },
      { field: 'scores.grammar', errors: ['not a criterion of this rubric'] },
      { field: 'scores.example', errors: ['missing; every criterion needs a score'] },
      { field: 'scores.style', errors: ['missing; every criterion needs a score'] },
    ]);
  });
});

describe('auto-check flags', () => {
  const answer =
    'I will use Spaced Repetition for vocabulary: ten new cards a day, reviewed after 1, 3 and 7 days, ' +
    'and I will drop the cards I answer right three times in a row.';

  it('raises nothing for a long enough answer with every keyword, ignoring case', () => {
    expect(autoCheckFlags(answer, { minLength: 100, requiredKeywords: ['spaced repetition', 'CARDS'] })).toEqual([]);
  });

  it('raises nothing when the spec has no auto-check', () => {
    expect(autoCheckFlags('', undefined)).toEqual([]);
    expect(autoCheckFlags('', {})).toEqual([]);
  });

  it('flags an answer shorter than minLength once trimmed, and not one exactly at it', () => {
    expect(autoCheckFlags('  12345  ', { minLength: 6 })).toEqual(['too_short']);
    expect(autoCheckFlags('  123456  ', { minLength: 6 })).toEqual([]);
    expect(autoCheckFlags('   ', { minLength: 1 })).toEqual(['too_short']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(autoCheckFlags('间隔重复😀', { minLength: 5 })).toEqual([]);
    expect(autoCheckFlags('😀😀', { minLength: 3 })).toEqual(['too_short']);
  });

  it('flags each missing keyword as written in the spec', () => {
    expect(
      autoCheckFlags(answer, { minLength: 10, requiredKeywords: ['spaced repetition', 'Leitner', 'forgetting curve'] }),
    ).toEqual(['missing_keyword:Leitner', 'missing_keyword:forgetting curve']);
  });

  it('raises both kinds of flag together', () => {
    expect(autoCheckFlags('too brief', { minLength: 200, requiredKeywords: ['spaced repetition'] })).toEqual([
      'too_short',
      'missing_keyword:spaced repetition',
    ]);
  });
});
