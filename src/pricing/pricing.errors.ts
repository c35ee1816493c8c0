import { DomainError, DomainErrorExtra, DomainErrorKind } from '../common/domain-error';

export type PricingErrorCode = 'not_confirmed' | 'offer_closed' | 'quote_expired';

const KINDS: Record<PricingErrorCode, DomainErrorKind> = {
  not_confirmed: 'rule',
  offer_closed: 'rule',
  quote_expired: 'rule',
};

export class PricingError extends DomainError {
  declare readonly code: PricingErrorCode;

  constructor(code: PricingErrorCode, message: string, extra?: DomainErrorExtra) {
    super(KINDS[code], code, message, extra);
  }
}
