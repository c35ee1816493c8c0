import { Duration } from 'luxon';
import { isIsoDuration } from '../schedule/schedule.rules';

// The homework a funnel's lesson sets, as the funnel stores it, and its checks at save. Grading
// it (lateness, totals, auto-checks) is homework's.

export interface RubricCriterion {
  key: string;
  name: string;
  points: number;
  description?: string;
}

/** `refuse`: nothing after the due time; `penalty`: a share of the score per started day, up to a cutoff. */
export type LatePolicy = { kind: 'refuse' } | { kind: 'penalty'; percentPerDay: number; cutoffDays: number };

export interface HomeworkSpec {
  /** Markdown. */
  prompt: string;
  /** ISO-8601 duration after the lesson's release (e.g. P2D, PT30M). */
  dueAfter: string;
  /** Must equal the sum of rubric points. */
  maxScore: number;
  /** Total needed to count as passed. */
  passScore: number;
  rubric: RubricCriterion[];
  latePolicy: LatePolicy;
  resubmitBeforeGrading: boolean;
  autoCheck?: { minLength?: number; requiredKeywords?: string[] };
}

/**
 * Problems with a spec, each naming its field relative to the spec, e.g.
 * 'maxScore must equal the sum of rubric points (10)'; [] when valid. Graders score every criterion
 * in whole points, so the rubric must add up to the maximum and the pass mark must be reachable.
 */
export function homeworkSpecProblems(spec: HomeworkSpec): string[] {
  const problems: string[] = [];
  if (!spec.prompt.trim()) problems.push('prompt must not be empty');
  if (!isIsoDuration(spec.dueAfter)) {
    problems.push(`dueAfter must be an ISO-8601 duration such as P2D or PT30M (got ${JSON.stringify(spec.dueAfter)})`);
  } else if (Duration.fromISO(spec.dueAfter).toMillis() <= 0) {
    problems.push('dueAfter must be longer than zero');
  }

  if (spec.rubric.length === 0) problems.push('rubric must have at least one criterion');
  const keys = new Set<string>();
  spec.rubric.forEach((criterion, i) => {
    if (keys.has(criterion.key)) problems.push(`rubric.${i}.key must be unique; ${criterion.key} is already used`);
    keys.add(criterion.key);
    if (!Number.isInteger(criterion.points) || criterion.points <= 0) {
      problems.push(`rubric.${i}.points must be a positive whole number`);
    }
  });
  const rubricPoints = spec.rubric.reduce((sum, c) => sum + c.points, 0);
  if (spec.maxScore !== rubricPoints) problems.push(`maxScore must equal the sum of rubric points (${rubricPoints})`);
  if (!(spec.passScore >= 0 && spec.passScore <= spec.maxScore)) {
    problems.push(`passScore must be between 0 and maxScore (${spec.maxScore})`);
  }

  if (spec.latePolicy.kind === 'penalty') {
    const { percentPerDay, cutoffDays } = spec.latePolicy;
    if (!(percentPerDay >= 0 && percentPerDay <= 100))
      problems.push('latePolicy.percentPerDay must be between 0 and 100');
    if (!Number.isInteger(cutoffDays) || cutoffDays < 1) {
      problems.push('latePolicy.cutoffDays must be a whole number of days, 1 or more');
    }
  }

  const minLength = spec.autoCheck?.minLength;
  if (minLength !== undefined && (!Number.isInteger(minLength) || minLength < 0)) {
    problems.push('autoCheck.minLength must be a whole number, 0 or more');
  }
  spec.autoCheck?.requiredKeywords?.forEach((keyword, i) => {
    if (!keyword.trim()) problems.push(`autoCheck.requiredKeywords.${i} must not be empty`);
  });
  return problems;
}
