import type { FieldError } from './validation';

/** How a refused domain operation maps onto HTTP; the exception filter owns the mapping. */
/** `too_many`: a per-person limit of a rule (sharing notes), not the per-IP throttle of routes. */
export type DomainErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rule' | 'too_many';

/** What an error carries besides its message: the fields at fault, and any other facts. */
export interface DomainErrorExtra {
  fields?: FieldError[];
  info?: Record<string, unknown>;
}

/**
 * Services throw these instead of HTTP exceptions, so the same rules serve the API,
 * the CLI and background jobs. `code` is stable and machine-readable.
 *
 * Features do not construct this directly: each has a `<feature>.errors.ts` with its codes as a
 * union and an error class that takes only those codes (a typo fails to compile), narrows `code`
 * to them, and gives each code its one kind (so a code answers with one status wherever it is
 * thrown). The base stays non-generic so that `instanceof DomainError` yields `code: string`.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly extra: DomainErrorExtra = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A feature's error class, as `domainErrorOf` makes it. */
export type FeatureErrorClass<C extends string> = new (
  code: C,
  message: string,
  extra?: DomainErrorExtra,
) => DomainError & { readonly code: C };

/**
 * The base of one feature's error class: it takes only the feature's codes and gives each its
 * kind from `kinds`, e.g. `export class CohortError extends domainErrorOf(COHORT_ERROR_KINDS) {}`.
 */
export function domainErrorOf<C extends string>(kinds: Readonly<Record<C, DomainErrorKind>>): FeatureErrorClass<C> {
  return class extends DomainError {
    declare readonly code: C;

    constructor(code: C, message: string, extra?: DomainErrorExtra) {
      super(kinds[code], code, message, extra);
    }
  };
}

/** The things a caller can ask for by id and not find; each answers `<what>_not_found`. */
export type NotFoundSubject =
  | 'api_token'
  | 'asset'
  | 'channel'
  | 'cohort'
  | 'enrollment'
  | 'event'
  | 'excuse_request'
  | 'funnel'
  | 'funnel_version'
  | 'grading_assignment'
  | 'homework'
  | 'homework_lesson'
  | 'lesson'
  | 'license'
  | 'order'
  | 'organization'
  | 'outbox_message'
  | 'quote'
  | 'referral'
  | 'referral_code'
  | 'shared_note'
  | 'student';

export class NotFoundError extends DomainError {
  declare readonly code: `${NotFoundSubject}_not_found`;

  constructor(what: NotFoundSubject, id: string) {
    super('not_found', `${what}_not_found`, `${what} ${id} not found`);
  }
}
