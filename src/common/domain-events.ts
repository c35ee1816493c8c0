import { Injectable } from '@nestjs/common';
import type { FunnelContent } from '../funnels/funnel-content';
import type { CohortRecord } from '../cohorts/cohorts.repository';
import type { FunnelSummary } from '../funnels/funnels.repository';

/**
 * What happened, for the features that build on it (referrals qualify on confirmations and
 * attendance; commissions and promotions follow paid orders). Payloads carry ids only.
 */
export interface DomainEventMap {
  /** Before a funnel's next version is saved; a handler that throws refuses the edit. */
  'funnel.version.proposed': {
    funnel: FunnelSummary & { current: FunnelContent };
    content: FunnelContent;
    /** The licensor's changes being pulled into a clone (locked parts may change then). */
    pull: boolean;
  };
  /** Before a funnel's message override is saved or reset; a handler that throws refuses it. */
  'funnel.messages.proposed': { funnelId: string };
  /** Before a cohort is created from a funnel, and before one opens: handlers may refuse. */
  'cohort.proposed': { funnel: FunnelSummary; startAt: Date; territory: string | null };
  'cohort.opening': { cohort: CohortRecord };
  'enrollment.confirmed': { enrollmentId: string; studentId: string; cohortId: string };
  'attendance.recorded': { enrollmentId: string; cohortId: string; lessonKey: string };
  'referral.counted': { referrerEnrollmentId: string };
  'referral.reviewed': { refereeEnrollmentId: string; decision: 'approved' | 'rejected' };
  'order.paid': { orderId: string };
  'order.refunded': { orderId: string };
}

export type DomainEvent = keyof DomainEventMap;
type Handler<E extends DomainEvent> = (payload: DomainEventMap[E]) => Promise<void>;

/**
 * A small in-process event bus, scoped to this module so that a host application's own event
 * emitter (or its listeners) never sees ours, nor ours theirs. `emit` runs the handlers in turn
 * and fails if one fails: the operations that emit are idempotent, so a retry completes what a
 * failed handler left undone.
 */
@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEvent, Handler<DomainEvent>[]>();

  on<E extends DomainEvent>(event: E, handler: Handler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as Handler<DomainEvent>);
    this.handlers.set(event, list);
  }

  async emit<E extends DomainEvent>(event: E, payload: DomainEventMap[E]): Promise<void> {
    for (const handler of this.handlers.get(event) ?? []) await handler(payload);
  }
}
