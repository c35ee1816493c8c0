import { Injectable } from '@nestjs/common';

/**
 * Checks another feature makes before a change is saved (licensing refuses what a license does not
 * allow). They run in the request and nothing is stored, so they may refuse; effects that must
 * happen after a change are durable domain events instead (`domain-events.service.ts`). Each hook
 * is declared by the feature whose change it checks, in its `<feature>.events.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface DomainHookMap {}

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
