import { DomainError, DomainErrorExtra, DomainErrorKind } from '../common/domain-error';

export type MessageErrorCode = 'invalid_template';

const KINDS: Record<MessageErrorCode, DomainErrorKind> = {
  invalid_template: 'invalid',
};

export class MessageError extends DomainError {
  declare readonly code: MessageErrorCode;

  constructor(code: MessageErrorCode, message: string, extra?: DomainErrorExtra) {
    super(KINDS[code], code, message, extra);
  }
}
