import { createHash } from 'node:crypto';

/** Delay before retry number `failures` (1 = first retry): doubling from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The outbox key that makes a message exist at most once: one per enrolment, kind and lesson
 * (or other subject), e.g. `6650…:lesson:v2`.
 */
export function idempotencyKey(enrollmentId: string, kind: string, subject = '-'): string {
  return `${enrollmentId}:${kind}:${subject}`;
}

/** A stable Message-ID from the idempotency key, so a resend is recognisable as the same message. */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'course-funnel.invalid';
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}`;
}
