import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import {
  afterDelivery,
  DEFAULT_DELIVERY_RULES,
  DeliveryRules,
  HandlerOutcome,
  OWNER_HANDLER,
} from './domain-event.rules';
import { DomainEventState } from './domain-event.schema';
import { DomainEventsRepository, StoredEvent } from './domain-events.repository';

/**
 * Events whose effects change money or state in another feature. Payloads are plain data (ids,
 * dates, strings): they are stored, and a handler may read them back a day later. Each event is
 * declared by the feature that owns it, in its `<feature>.events.ts`, which adds it to this map.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap;

type Handler<E extends DomainEventName> = (payload: DomainEventMap[E]) => Promise<void>;

/**
 * Durable domain events. `publish` stores the event under its idempotency key before anything
 * else happens, then delivers it: first to its owner, the feature whose change it is (`apply`),
 * then to every subscriber (`on`). Each handler that succeeds is crossed off; what failed, or
 * never ran because the process died, is delivered again by `deliverDue` (every instance's
 * scheduler calls it) until every handler has recorded it. Handlers must be idempotent.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers = new Map<string, Map<string, Handler<DomainEventName>>>();
  private rules: DeliveryRules = DEFAULT_DELIVERY_RULES;

  constructor(
    private readonly events: DomainEventsRepository,
    private readonly clock: Clock,
  ) {}

  /** For tests and hosts that need other timings. */
  configure(rules: Partial<DeliveryRules>): void {
    this.rules = { ...this.rules, ...rules };
  }

  /** The owner's own change for this event: it runs first, and its failure holds back the rest. */
  apply<E extends DomainEventName>(event: E, handler: Handler<E>): void {
    this.register(event, OWNER_HANDLER, handler);
  }

  /**
   * A subscriber, under a name that stays the same across releases (it is stored with each event).
   * Features subscribe at start-up (onModuleInit), so the plain Errors here stop the boot: misuse, never a request's.
   */
  on<E extends DomainEventName>(event: E, name: string, handler: Handler<E>): void {
    if (name === OWNER_HANDLER) throw new Error(`"${OWNER_HANDLER}" is the owner's handler name`);
    this.register(event, name, handler);
  }

  private register<E extends DomainEventName>(event: E, name: string, handler: Handler<E>): void {
    const list = this.handlers.get(event) ?? new Map<string, Handler<DomainEventName>>();
    if (list.has(name)) throw new Error(`${event} has a handler named ${name} already`);
    list.set(name, handler as Handler<DomainEventName>);
    this.handlers.set(event, list);
  }

  /**
   * Records that `event` happened (once per key) and delivers it now. True when this call
   * recorded it; false when it was recorded before (a replay, or a race lost), which changes
   * nothing: the earlier delivery, or after its lease lapses `deliverDue`, finishes the work. The
   * owner's failure is thrown (the change has not happened yet; it is retried later); a
   * subscriber's is logged and retried.
   */
  async publish<E extends DomainEventName>(event: E, key: string, payload: DomainEventMap[E]): Promise<boolean> {
    const registered = [...(this.handlers.get(event)?.keys() ?? [])];
    // The owner first, whatever order the features registered in.
    const pending = [
      ...registered.filter((h) => h === OWNER_HANDLER),
      ...registered.filter((h) => h !== OWNER_HANDLER),
    ];
    const id = `${event}:${key}`;
    const leaseOwner = randomUUID();
    const now = this.clock.now();
    const recorded = await this.events.insert({
      key: id,
      name: event,
      payload,
      pending,
      leaseOwner,
      leaseUntil: new Date(now.getTime() + this.rules.leaseMs),
      at: now,
    });
    if (recorded) await this.deliver(id, leaseOwner, { throwOwnerError: true });
    return recorded;
  }

  /** Delivers every pending event that is due; returns how many were taken. */
  async deliverDue(limit = 100): Promise<number> {
    const keys = await this.events.due(this.clock.now(), limit);
    for (const key of keys) await this.deliver(key, randomUUID(), { throwOwnerError: false });
    return keys.length;
  }

  /** Forgets events delivered longer ago than the rules keep them; returns how many. */
  purgeDone(): Promise<number> {
    return this.events.purgeDone(new Date(this.clock.now().getTime() - this.rules.keepDoneMs));
  }

  /** What staff look at: how many events are pending and failed, and the latest of one state. */
  async overview(
    state: DomainEventState,
    limit: number,
  ): Promise<{ counts: Record<'pending' | 'failed', number>; items: StoredEvent[] }> {
    const [pending, failed, items] = await Promise.all([
      this.events.count('pending'),
      this.events.count('failed'),
      this.events.list(state, limit),
    ]);
    return { counts: { pending, failed }, items };
  }

  /** Staff sent a failed event back: it is delivered again now. An event in another state is returned as it is. */
  async retry(key: string): Promise<StoredEvent> {
    if (await this.events.retry(key, this.clock.now())) {
      await this.deliver(key, randomUUID(), { throwOwnerError: false });
    }
    const event = await this.events.find(key);
    if (!event) throw new NotFoundError('event', key);
    return event;
  }

  find(key: string): Promise<StoredEvent | null> {
    return this.events.find(key);
  }

  private async deliver(key: string, leaseOwner: string, options: { throwOwnerError: boolean }): Promise<void> {
    const now = this.clock.now();
    const event = await this.events.claim(key, leaseOwner, now, new Date(now.getTime() + this.rules.leaseMs));
    if (!event) return;
    const handlers = this.handlers.get(event.name);
    const outcomes: HandlerOutcome[] = [];
    let ownerError: Error | null = null;
    for (const name of event.pending) {
      const handler = handlers?.get(name);
      if (!handler) {
        // A handler a later release removed: nothing is left to record it.
        this.logger.warn({ msg: 'event handler no longer exists', event: key, handler: name });
        outcomes.push({ handler: name });
        continue;
      }
      try {
        await handler(event.payload as DomainEventMap[DomainEventName]);
        outcomes.push({ handler: name });
      } catch (error) {
        outcomes.push({ handler: name, error: error instanceof Error ? error.message : String(error) });
        this.logger.warn({ msg: 'event handler failed', event: key, handler: name, error: String(error) });
        if (name === OWNER_HANDLER) {
          // A DomainError of the owner's is rethrown as it is; only a thrown non-Error is wrapped (a bug: a 500).
          ownerError = error instanceof Error ? error : new Error(String(error));
          break;
        }
      }
    }
    const result = afterDelivery(event.pending, outcomes, event.attempts, this.clock.now(), this.rules);
    await this.events.settle(key, result, this.clock.now());
    if (result.state === 'failed') {
      this.logger.error({ msg: 'event parked after repeated failures', event: key, errors: result.errors });
    }
    if (ownerError !== null && options.throwOwnerError) throw ownerError;
  }
}
