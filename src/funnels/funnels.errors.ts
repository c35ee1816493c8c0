import { DomainErrorKind, domainErrorOf } from '../common/domain-error';
import { FieldError } from '../common/validation';

export type FunnelErrorCode = 'invalid_funnel_content' | 'funnel_edit_conflict';

const KINDS: Record<FunnelErrorCode, DomainErrorKind> = {
  invalid_funnel_content: 'invalid',
  funnel_edit_conflict: 'conflict',
};

export class FunnelError extends domainErrorOf<FunnelErrorCode>(KINDS) {}

/** The content is well-formed but breaks a funnel rule (phase order, release order, ...). */
export class InvalidFunnelContentError extends FunnelError {
  constructor(readonly problems: FieldError[]) {
    const first = problems[0];
    super('invalid_funnel_content', first ? `${first.field}: ${first.errors[0]}` : 'invalid funnel', {
      fields: problems,
    });
  }
}
