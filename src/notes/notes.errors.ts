import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type NotesErrorCode = 'invalid_shared_note' | 'invalid_hide_reason' | 'not_checked_in' | 'too_many_shares';

const KINDS: Record<NotesErrorCode, DomainErrorKind> = {
  invalid_shared_note: 'invalid',
  invalid_hide_reason: 'invalid',
  not_checked_in: 'rule',
  too_many_shares: 'too_many',
};

export class NotesError extends domainErrorOf<NotesErrorCode>(KINDS) {}
