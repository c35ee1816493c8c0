import { StaffRole } from '../auth/access.decorators';

/**
 * Who grades one lesson's homework in a cohort. Without an assignment any instructor grades and
 * their grade goes straight to the student. With one, only its graders and reviewers may grade;
 * when `reviewRequired`, a grader's grade waits until a reviewer approves it (an assistant grades,
 * the instructor approves). A reviewer's own grade needs no second look.
 */
export interface GradingAssignment {
  cohortId: string;
  lessonKey: string;
  /** API token ids. */
  graders: string[];
  reviewers: string[];
  reviewRequired: boolean;
}

export interface Grader {
  tokenId: string;
  role: StaffRole;
}

export type GradingStep = { allowed: true; needsReview: boolean } | { allowed: false; reason: string };

/** Whether this person may grade, and whether their grade must be reviewed first. Admins always may. */
export function gradingStep(assignment: GradingAssignment | null, grader: Grader): GradingStep {
  if (grader.role === 'admin' || !assignment) return { allowed: true, needsReview: false };
  if (assignment.reviewers.includes(grader.tokenId)) return { allowed: true, needsReview: false };
  if (assignment.graders.includes(grader.tokenId)) return { allowed: true, needsReview: assignment.reviewRequired };
  return {
    allowed: false,
    reason: `Only the graders assigned to lesson ${assignment.lessonKey} of this cohort may grade it`,
  };
}

/**
 * Whether this person may approve or return a grade waiting for review: the assignment's reviewers
 * and admins; with no assignment left (it was removed meanwhile), any instructor.
 */
export function mayReview(assignment: GradingAssignment | null, grader: Grader): boolean {
  if (grader.role === 'admin') return true;
  if (!assignment) return grader.role === 'instructor';
  return assignment.reviewers.includes(grader.tokenId);
}

/** Problems with an assignment, each naming its field; [] when it can work. */
export function gradingAssignmentProblems(
  assignment: Pick<GradingAssignment, 'graders' | 'reviewers' | 'reviewRequired'>,
): string[] {
  const problems: string[] = [];
  if (assignment.graders.length === 0 && assignment.reviewers.length === 0) {
    problems.push('graders must name at least one grader (or reviewers one reviewer)');
  }
  if (assignment.reviewRequired && assignment.reviewers.length === 0) {
    problems.push('reviewers must name at least one reviewer when reviewRequired is true');
  }
  const both = assignment.graders.filter((id) => assignment.reviewers.includes(id));
  if (both.length > 0) problems.push(`graders and reviewers must not share anyone (${both.join(', ')})`);
  return problems;
}
