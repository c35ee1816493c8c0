import { DomainErrorKind, domainErrorOf, NotFoundError } from '../common/domain-error';
import { EnrollmentWindowRefusal } from '../cohorts/sign-up.rules';

export type EnrollmentErrorCode =
  | 'cohort_full'
  | `enrollment_${EnrollmentWindowRefusal}`
  | 'unsubscribed'
  | 'not_your_enrollment'
  | 'lesson_not_released'
  | 'invalid_import';

const KINDS: Record<EnrollmentErrorCode, DomainErrorKind> = {
  cohort_full: 'conflict',
  enrollment_not_open: 'rule',
  enrollment_not_yet_open: 'rule',
  enrollment_closed: 'rule',
  unsubscribed: 'rule',
  not_your_enrollment: 'forbidden',
  lesson_not_released: 'rule',
  invalid_import: 'invalid',
};

export class EnrollmentError extends domainErrorOf<EnrollmentErrorCode>(KINDS) {}

export class CohortFullError extends EnrollmentError {
  constructor(cohortId: string) {
    super('cohort_full', `cohort ${cohortId} is full`);
  }
}

const WINDOW_MESSAGES: Record<EnrollmentWindowRefusal, string> = {
  not_open: 'is not open for sign-ups',
  not_yet_open: 'does not take sign-ups yet',
  closed: 'no longer takes sign-ups',
};

export class EnrollmentClosedError extends EnrollmentError {
  constructor(cohortId: string, reason: EnrollmentWindowRefusal) {
    super(`enrollment_${reason}`, `cohort ${cohortId} ${WINDOW_MESSAGES[reason]}`);
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
    throw new EnrollmentError('not_your_enrollment', 'This link is not valid for this enrolment');
  }
  return enrollment;
}

export class UnsubscribedError extends EnrollmentError {
  constructor() {
    super('unsubscribed', 'You unsubscribed; sign up again to rejoin');
  }
}

/** An import file that cannot be read as a whole (its header, its size); rows are refused one by one. */
export class ImportFileError extends EnrollmentError {
  constructor(problem: string) {
    super('invalid_import', `csv: ${problem}`, { fields: [{ field: 'csv', errors: [problem] }] });
  }
}
