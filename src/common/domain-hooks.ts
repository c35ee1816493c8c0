import { Injectable } from '@nestjs/common';
import type { FunnelContent } from '../funnels/funnel-content';
import type { CohortRecord } from '../cohorts/cohorts.repository';
import type { FunnelSummary } from '../funnels/funnels.repository';

/**
 * Checks another feature makes before a change is saved (licensing refuses what a license does not
 * allow). They run in the request and nothing is stored, so they may refuse; effects that must
 * happen after a change are durable domain events instead (`events/domain-events.service.ts`).
 */
export interface DomainHookMap {
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
}

export type DomainHook = keyof DomainHookMap;
type Handler<E extends DomainHook> = (payload: DomainHookMap[E]) => Promise<void>;

/**
 * A small in-process hook registry, scoped to this module so that a host application's own event
 * emitter (or its listeners) never sees ours, nor ours theirs. `run` calls the handlers in turn and
 * fails with the first refusal.
 */
@Injectable()
export class DomainHooks {
  private readonly handlers = new Map<DomainHook, Handler<DomainHook>[]>();

  on<E extends DomainHook>(hook: E, handler: Handler<E>): void {
    const list = this.handlers.get(hook) ?? [];
    list.push(handler as Handler<DomainHook>);
    this.handlers.set(hook, list);
  }

  async run<E extends DomainHook>(hook: E, payload: DomainHookMap[E]): Promise<void> {
    for (const handler of this.handlers.get(hook) ?? []) await handler(payload);
  }
}
