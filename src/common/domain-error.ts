import type { FieldError } from './validation';

/** How a refused domain operation maps onto HTTP; the exception filter owns the mapping. */
export type DomainErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rule';

/** What an error carries besides its message: the fields at fault, and any other facts. */
export interface DomainErrorExtra {
  fields?: FieldError[];
  info?: Record<string, unknown>;
}

/**
 * Services throw these instead of HTTP exceptions, so the same rules serve the API,
 * the CLI and background jobs. `code` is stable and machine-readable.
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

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what}_not_found`, `${what} ${id} not found`);
  }
}
