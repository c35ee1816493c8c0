import { DomainErrorKind, domainErrorOf } from '../common/domain-error';

export type LicenseErrorCode =
  | 'territory_without_license'
  | 'outside_license'
  | 'license_not_in_force'
  | 'invalid_license'
  | 'invalid_sublicense'
  | 'invalid_renewal'
  | 'not_a_template'
  | 'not_owner'
  | 'not_licensee'
  | 'not_issuer'
  | 'license_revoked'
  | 'license_conflict'
  | 'busy'
  | 'license_locks_messages'
  | 'not_a_clone'
  | 'unknown_item'
  | 'invalid_choice'
  | 'choice_missing';

const KINDS: Record<LicenseErrorCode, DomainErrorKind> = {
  territory_without_license: 'invalid',
  outside_license: 'rule',
  license_not_in_force: 'rule',
  invalid_license: 'invalid',
  invalid_sublicense: 'invalid',
  invalid_renewal: 'invalid',
  not_a_template: 'invalid',
  not_owner: 'forbidden',
  not_licensee: 'forbidden',
  not_issuer: 'forbidden',
  license_revoked: 'conflict',
  license_conflict: 'conflict',
  busy: 'conflict',
  license_locks_messages: 'forbidden',
  not_a_clone: 'invalid',
  unknown_item: 'invalid',
  invalid_choice: 'invalid',
  choice_missing: 'invalid',
};

export class LicenseError extends domainErrorOf<LicenseErrorCode>(KINDS) {}
