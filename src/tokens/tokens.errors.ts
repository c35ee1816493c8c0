import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type TokenErrorCode = 'partner_token_needs_organization';

const KINDS: Record<TokenErrorCode, DomainErrorKind> = {
  partner_token_needs_organization: 'invalid',
};

export class TokenError extends domainErrorOf<TokenErrorCode>(KINDS) {}
