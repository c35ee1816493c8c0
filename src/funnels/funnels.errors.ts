import { DomainError } from '../common/domain-error';
import { FieldError } from '../common/validation';

/** The content is well-formed but breaks a funnel rule (phase order, release order, ...). */
export class InvalidFunnelContentError extends DomainError {
  constructor(readonly problems: FieldError[]) {
    const first = problems[0];
    super('invalid', 'invalid_funnel_content', first ? `${first.field}: ${first.errors[0]}` : 'invalid funnel', {
      fields: problems,
    });
  }
}
