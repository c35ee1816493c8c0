import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type AttendanceErrorCode = 'check_in_not_open' | 'class_over';

const KINDS: Record<AttendanceErrorCode, DomainErrorKind> = {
  check_in_not_open: 'rule',
  class_over: 'rule',
};

export class AttendanceError extends domainErrorOf<AttendanceErrorCode>(KINDS) {}
