import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type PricingErrorCode = 'not_confirmed' | 'offer_closed' | 'quote_expired';

const KINDS: Record<PricingErrorCode, DomainErrorKind> = {
  not_confirmed: 'rule',
  offer_closed: 'rule',
  quote_expired: 'rule',
};

export class PricingError extends domainErrorOf<PricingErrorCode>(KINDS) {}
