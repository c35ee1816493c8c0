/** The handler that applies an event's own change; it runs before every other handler. */
export const OWNER_HANDLER = 'apply';

export interface DeliveryRules {
  /** How long a deliverer holds an event before another instance may take it over. */
  leaseMs: number;
  /** First retry delay after a failed handler; doubles per attempt up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** After this many failed deliveries the event is parked as failed, for staff to look at. */
  maxAttempts: number;
  /** How long a delivered event is kept (for staff looking into what happened) before it is purged. */
  keepDoneMs: number;
}

export const DEFAULT_DELIVERY_RULES: DeliveryRules = {
  leaseMs: 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 10 * 60_000,
  maxAttempts: 30,
  keepDoneMs: 30 * 24 * 3600_000,
};

export interface HandlerOutcome {
  handler: string;
  error?: string;
}

export interface DeliveryResult {
  /** Handlers still to run next time, in order. */
  pending: string[];
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  dueAt: Date;
  errors: string[];
}

/**
 * What a delivery leaves behind. The owner's change comes first: if it failed, nothing after it
 * ran and all of it stays pending. Any other handler fails on its own and only it is retried.
 */
export function afterDelivery(
  pending: string[],
  outcomes: HandlerOutcome[],
  attempts: number,
  now: Date,
  rules: DeliveryRules,
): DeliveryResult {
  const ran = new Map(outcomes.map((o) => [o.handler, o]));
  const left = pending.filter((handler) => !ran.has(handler) || ran.get(handler)!.error !== undefined);
  const errors = outcomes.filter((o) => o.error !== undefined).map((o) => `${o.handler}: ${o.error}`);
  if (left.length === 0) return { pending: [], state: 'done', attempts, dueAt: now, errors: [] };
  const failed = attempts + 1;
  const delay = Math.min(rules.backoffBaseMs * 2 ** (failed - 1), rules.backoffMaxMs);
  return {
    pending: left,
    state: failed >= rules.maxAttempts ? 'failed' : 'pending',
    attempts: failed,
    dueAt: new Date(now.getTime() + delay),
    errors,
  };
}
