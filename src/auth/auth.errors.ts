import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type AuthErrorCode = 'scope_undeclared' | 'scope_required' | 'console_session_required' | 'csrf_failed';

const KINDS: Record<AuthErrorCode, DomainErrorKind> = {
  scope_undeclared: 'forbidden',
  scope_required: 'invalid',
  console_session_required: 'unauthorized',
  csrf_failed: 'forbidden',
};

export class AuthError extends domainErrorOf<AuthErrorCode>(KINDS) {}

/** Partner staff must name the resource (a route or query parameter) their request is about. */
export class ScopeRequiredError extends AuthError {
  constructor(field: string) {
    super('scope_required', `${field}: is required for partner staff`);
  }
}
