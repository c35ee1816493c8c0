import { DomainError } from '../common/domain-error';
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
