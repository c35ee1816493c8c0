import { RubricCriterion, LatePolicy, HomeworkSpec } from '../funnels/homework-spec';
import { HomeworkError } from './homework.errors';
import { addDuration, isIsoDuration } from '../schedule/schedule.rules';

const DAY_MS = 24 * 3600_000;

/**
 * When homework for a lesson is due: `dueAfter` past the release, added in UTC (so P1D is exactly
 * 24 hours). Specs are validated on save; a bad duration here is a bug, not bad input.
 */
export function homeworkDueAt(releasedAt: Date, spec: Pick<HomeworkSpec, 'dueAfter'>): Date {
  if (!isIsoDuration(spec.dueAfter)) throw new Error(`not an ISO-8601 duration: ${spec.dueAfter}`);
  return addDuration(releasedAt, spec.dueAfter, 'UTC');
}

export type Lateness =
  | { accepted: true; daysLate: number; penaltyPercent: number }
  | { accepted: false; reason: 'past_due' | 'past_cutoff' };

/**
 * Whether a submission is taken, and at what cost. Days late count started days (1 ms late = 1
 * day), so the penalty cannot be dodged by minutes. Penalty = min(100, daysLate * percentPerDay).
 * Refuse policy: any lateness is refused ('past_due'); penalty policy: more than `cutoffDays` late
 * is refused ('past_cutoff'). Submitting exactly at the due time is on time.
 */
export function lateness(submittedAt: Date, dueAt: Date, policy: LatePolicy): Lateness {
  const lateMs = submittedAt.getTime() - dueAt.getTime();
  if (lateMs <= 0) return { accepted: true, daysLate: 0, penaltyPercent: 0 };
  if (policy.kind === 'refuse') return { accepted: false, reason: 'past_due' };
  const daysLate = Math.ceil(lateMs / DAY_MS);
  if (daysLate > policy.cutoffDays) return { accepted: false, reason: 'past_cutoff' };
  return { accepted: true, daysLate, penaltyPercent: Math.min(100, daysLate * policy.percentPerDay) };
}

export interface CriterionScore {
  key: string;
  score: number;
  feedback?: string;
}

export interface GradeTotal {
  rawScore: number;
  penaltyPoints: number;
  total: number;
  passed: boolean;
}

/** A grade that does not fit the rubric; every problem names its field as `scores.<key>`. */
function invalidGrade(problems: { field: string; errors: string[] }[]): HomeworkError {
  const first = problems[0];
  return new HomeworkError('invalid_grade', `${first.field}: ${first.errors[0]}`, { fields: problems });
}

/**
 * Computes the grade. Every rubric criterion gets exactly one whole-point score between 0 and its
 * points; otherwise throws an 'invalid' HomeworkError naming each bad `scores.<key>` (the first in
 * the message, all in the details). penaltyPoints = round(rawScore * penaltyPercent / 100);
 * total = max(0, rawScore - penaltyPoints); passed = total >= passScore.
 */
export function gradeTotal(spec: HomeworkSpec, scores: CriterionScore[], penaltyPercent: number): GradeTotal {
  if (!(penaltyPercent >= 0 && penaltyPercent <= 100)) {
    throw new RangeError(`penaltyPercent must be between 0 and 100 (got ${penaltyPercent})`);
  }
  const criteria = new Map(spec.rubric.map((c) => [c.key, c]));
  const scored = new Set<string>();
  const problems: { field: string; errors: string[] }[] = [];
  const refuse = (key: string, error: string) => problems.push({ field: `scores.${key}`, errors: [error] });

  for (const { key, score } of scores) {
    const criterion = criteria.get(key);
    if (!criterion) refuse(key, 'not a criterion of this rubric');
    else if (scored.has(key)) refuse(key, 'scored more than once');
    else if (!Number.isInteger(score)) refuse(key, 'must be a whole number of points');
    else if (score < 0) refuse(key, 'must be 0 or more');
    else if (score > criterion.points) refuse(key, `must be at most ${criterion.points}`);
    scored.add(key);
  }
  for (const criterion of spec.rubric) {
    if (!scored.has(criterion.key)) refuse(criterion.key, 'missing; every criterion needs a score');
  }
  if (problems.length > 0) throw invalidGrade(problems);

  const rawScore = scores.reduce((sum, s) => sum + s.score, 0);
  const penaltyPoints = Math.round((rawScore * penaltyPercent) / 100);
  const total = Math.max(0, rawScore - penaltyPoints);
  return { rawScore, penaltyPoints, total, passed: total >= spec.passScore };
}

/**
 * Pre-screening flags for a grader, never a grade: 'too_short' when the trimmed text has fewer than
 * `minLength` characters (code points, so an emoji or a rare CJK character counts once);
 * 'missing_keyword:<kw>' for each required keyword not found, ignoring case. [] without autoCheck.
 */
export function autoCheckFlags(text: string, autoCheck: HomeworkSpec['autoCheck']): string[] {
  if (!autoCheck) return [];
  const flags: string[] = [];
  const trimmed = text.trim();
  if (autoCheck.minLength !== undefined && [...trimmed].length < autoCheck.minLength) flags.push('too_short');
  const haystack = trimmed.toLowerCase();
  for (const keyword of autoCheck.requiredKeywords ?? []) {
    if (!haystack.includes(keyword.toLowerCase())) flags.push(`missing_keyword:${keyword}`);
  }
  return flags;
}

/** A grade criterion by criterion in rubric order, as the student sees it (mail, lesson page). */
export function gradedCriteria(
  rubric: RubricCriterion[],
  scores: CriterionScore[],
): { name: string; score: number; points: number; feedback: string }[] {
  return rubric.map((c) => {
    const score = scores.find((s) => s.key === c.key);
    return { name: c.name, score: score?.score ?? 0, points: c.points, feedback: score?.feedback ?? '' };
  });
}
