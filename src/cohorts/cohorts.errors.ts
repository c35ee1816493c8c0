import { DomainError } from '../common/domain-error';
import { CohortStatus } from './cohort.rules';

export class CohortStatusError extends DomainError {
  constructor(id: string, status: CohortStatus, action: string) {
    super('conflict', 'cohort_status_conflict', `cohort ${id} is ${status}: cannot ${action}`, { status });
  }
}

export class CohortRuleError extends DomainError {
  constructor(field: string, message: string) {
    super('invalid', 'invalid_cohort', `${field}: ${message}`, [{ field, errors: [message] }]);
  }
}
