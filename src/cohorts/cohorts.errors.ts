import { DomainErrorKind, domainErrorOf } from '../common/domain-error';
import { CohortStatus } from './cohort.rules';

export type CohortErrorCode = 'cohort_status_conflict' | 'invalid_cohort' | 'start_in_past';

const KINDS: Record<CohortErrorCode, DomainErrorKind> = {
  cohort_status_conflict: 'conflict',
  invalid_cohort: 'invalid',
  start_in_past: 'rule',
};

export class CohortError extends domainErrorOf<CohortErrorCode>(KINDS) {}

export class CohortStatusError extends CohortError {
  constructor(id: string, status: CohortStatus, action: string) {
    super('cohort_status_conflict', `cohort ${id} is ${status}: cannot ${action}`, { info: { status } });
  }
}

export class CohortRuleError extends CohortError {
  constructor(field: string, message: string) {
    super('invalid_cohort', `${field}: ${message}`, { fields: [{ field, errors: [message] }] });
  }
}

/** A start so far back that classes are due already: they would all be mailed at once, so it must be asked for. */
export class CohortStartPassedError extends CohortError {
  constructor(startAt: Date, due: string[]) {
    const message =
      `${startAt.toISOString()} is too late: ${due.length === 1 ? 'class' : 'classes'} ${due.join(', ')} ` +
      'would already be due and go out at once. To move a group that is already running, send catchUp: true';
    super('start_in_past', `startAt: ${message}`, {
      fields: [{ field: 'startAt', errors: [message] }],
      info: { lessonsDue: due },
    });
  }
}
