import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type ReferralErrorCode = 'not_held';

const KINDS: Record<ReferralErrorCode, DomainErrorKind> = {
  not_held: 'conflict',
};

export class ReferralError extends domainErrorOf<ReferralErrorCode>(KINDS) {}
