import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type MessageErrorCode = 'invalid_template';

const KINDS: Record<MessageErrorCode, DomainErrorKind> = {
  invalid_template: 'invalid',
};

export class MessageError extends domainErrorOf<MessageErrorCode>(KINDS) {}
