import { Injectable } from '@nestjs/common';
import { OutboxKind } from '../messages/message-kinds';
import { OutboxRecord } from './outbox.repository';

/**
 * What a sender made of one message. A sender that throws has failed one attempt, retried with
 * the outbox's backoff, like a mail that SMTP refused for now.
 */
export type SendOutcome =
  | { outcome: 'sent' }
  /** Not sent and not an attempt: the receiver takes no more for now (its rate limit). */
  | { outcome: 'deferred'; until: Date }
  /** `permanent`: trying again cannot help (a bad key): dead-lettered at once with the reason. */
  | { outcome: 'failed'; error: string; permanent: boolean; retryAt?: Date }
  /** There is nothing to send it to any more (the channel was removed). */
  | { outcome: 'cancelled'; reason: string };

export interface OutboxSender {
  send(message: OutboxRecord): Promise<SendOutcome>;
}

/**
 * Senders of the outbox kinds that are not mail, registered by the features that own them at
 * start-up (the group-chat channels register `chat`). The worker claims, retries and counts their
 * messages exactly like mail; only the send itself is theirs.
 */
@Injectable()
export class OutboxSenders {
  private readonly senders = new Map<OutboxKind, OutboxSender>();

  register(kind: OutboxKind, sender: OutboxSender): void {
    this.senders.set(kind, sender);
  }

  get(kind: OutboxKind): OutboxSender | undefined {
    return this.senders.get(kind);
  }
}
