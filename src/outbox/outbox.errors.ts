import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type OutboxErrorCode = 'not_dead_lettered';

const KINDS: Record<OutboxErrorCode, DomainErrorKind> = {
  not_dead_lettered: 'conflict',
};

export class OutboxError extends domainErrorOf<OutboxErrorCode>(KINDS) {}
