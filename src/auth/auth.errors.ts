import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type AuthErrorCode = 'scope_undeclared' | 'scope_required';

const KINDS: Record<AuthErrorCode, DomainErrorKind> = {
  scope_undeclared: 'forbidden',
  scope_required: 'invalid',
};

export class AuthError extends domainErrorOf<AuthErrorCode>(KINDS) {}

/** Partner staff must name the resource (a route or query parameter) their request is about. */
export class ScopeRequiredError extends AuthError {
  constructor(field: string) {
    super('scope_required', `${field}: is required for partner staff`);
  }
}
