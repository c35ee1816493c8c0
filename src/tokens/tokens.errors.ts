import { DomainError, DomainErrorExtra, DomainErrorKind } from '../common/domain-error';

export type TokenErrorCode = 'partner_token_needs_organization';

const KINDS: Record<TokenErrorCode, DomainErrorKind> = {
  partner_token_needs_organization: 'invalid',
};

export class TokenError extends DomainError {
  declare readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, extra?: DomainErrorExtra) {
    super(KINDS[code], code, message, extra);
  }
}
