import { DomainError, DomainErrorExtra, DomainErrorKind } from '../common/domain-error';

export type OutboxErrorCode = 'not_dead_lettered';

const KINDS: Record<OutboxErrorCode, DomainErrorKind> = {
  not_dead_lettered: 'conflict',
};

export class OutboxError extends DomainError {
  declare readonly code: OutboxErrorCode;

  constructor(code: OutboxErrorCode, message: string, extra?: DomainErrorExtra) {
    super(KINDS[code], code, message, extra);
  }
}
