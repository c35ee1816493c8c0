import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type HomeworkErrorCode =
  | 'invalid_assignment'
  | 'invalid_links'
  | 'invalid_grade'
  | 'homework_past_due'
  | 'homework_past_cutoff'
  | 'homework_graded'
  | 'homework_submitted'
  | 'not_assigned'
  | 'nothing_to_review'
  | 'not_reviewer'
  | 'grading_conflict';

const KINDS: Record<HomeworkErrorCode, DomainErrorKind> = {
  invalid_assignment: 'invalid',
  invalid_links: 'invalid',
  invalid_grade: 'invalid',
  homework_past_due: 'rule',
  homework_past_cutoff: 'rule',
  homework_graded: 'conflict',
  homework_submitted: 'conflict',
  not_assigned: 'forbidden',
  nothing_to_review: 'conflict',
  not_reviewer: 'forbidden',
  grading_conflict: 'conflict',
};

export class HomeworkError extends domainErrorOf<HomeworkErrorCode>(KINDS) {}
