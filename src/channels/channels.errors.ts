import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type ChannelErrorCode = 'invalid_channel' | 'channel_removed';

const KINDS: Record<ChannelErrorCode, DomainErrorKind> = {
  invalid_channel: 'invalid',
  channel_removed: 'conflict',
};

export class ChannelError extends domainErrorOf<ChannelErrorCode>(KINDS) {}

/** A channel field that cannot work on its platform (a URL on the wrong host, a secret it has no use for). */
export class ChannelFieldError extends ChannelError {
  constructor(field: string, message: string) {
    super('invalid_channel', `${field}: ${message}`, { fields: [{ field, errors: [message] }] });
  }
}
