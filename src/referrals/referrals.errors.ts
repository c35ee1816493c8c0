import { DomainError, DomainErrorExtra, DomainErrorKind } from '../common/domain-error';

export type ReferralErrorCode = 'not_held';

const KINDS: Record<ReferralErrorCode, DomainErrorKind> = {
  not_held: 'conflict',
};

export class ReferralError extends DomainError {
  declare readonly code: ReferralErrorCode;

  constructor(code: ReferralErrorCode, message: string, extra?: DomainErrorExtra) {
    super(KINDS[code], code, message, extra);
  }
}
