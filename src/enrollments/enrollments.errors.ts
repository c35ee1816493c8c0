import { DomainError, NotFoundError } from '../common/domain-error';
import { EnrollmentWindowRefusal } from '../cohorts/sign-up.rules';

export class CohortFullError extends DomainError {
  constructor(cohortId: string) {
    super('conflict', 'cohort_full', `cohort ${cohortId} is full`);
  }
}

const WINDOW_MESSAGES: Record<EnrollmentWindowRefusal, string> = {
  not_open: 'is not open for sign-ups',
  not_yet_open: 'does not take sign-ups yet',
  closed: 'no longer takes sign-ups',
};

export class EnrollmentClosedError extends DomainError {
  constructor(cohortId: string, reason: EnrollmentWindowRefusal) {
    super('rule', `enrollment_${reason}`, `cohort ${cohortId} ${WINDOW_MESSAGES[reason]}`);
  }
}

/** The enrolment behind a student's link, which must exist and belong to the link's student. */
export function ownedBy<E extends { studentId: string }>(
  enrollment: E | null,
  enrollmentId: string,
  studentId: string,
): E {
  if (!enrollment) throw new NotFoundError('enrollment', enrollmentId);
  if (enrollment.studentId !== studentId) {
    throw new DomainError('forbidden', 'not_your_enrollment', 'This link is not valid for this enrolment');
  }
  return enrollment;
}

export class UnsubscribedError extends DomainError {
  constructor() {
    super('rule', 'unsubscribed', 'You unsubscribed; sign up again to rejoin');
  }
}
