import { Locale } from '../common/locale';
import { OutboxKind } from './message-kinds';

/** A message addressed and ready for the outbox, which stores it once (by `key`) and sends it when due. */
export interface NewOutboxMessage {
  key: string;
  kind: OutboxKind;
  locale: Locale;
  to: string;
  data: object;
  unsubscribeUrl?: string;
  cohortId?: string;
  studentId?: string;
  /** Whose message overrides apply. */
  funnelId?: string;
  nextAttemptAt: Date;
}

/**
 * The outbox key that makes a message exist at most once: one per enrolment, kind and lesson
 * (or other subject), e.g. `6650…:lesson:v2`.
 */
export function idempotencyKey(enrollmentId: string, kind: string, subject = '-'): string {
  return `${enrollmentId}:${kind}:${subject}`;
}
