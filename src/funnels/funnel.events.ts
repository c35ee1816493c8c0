import type { FunnelContent } from './funnel-content';
import type { FunnelSummary } from './funnels.repository';

declare module '../events/domain-hooks' {
  interface DomainHookMap {
    /** Before a funnel's next version is saved; a handler that throws refuses the edit (licenses: locked parts). */
    'funnel.version.proposed': {
      funnel: FunnelSummary & { current: FunnelContent };
      content: FunnelContent;
      /** The licensor's changes being pulled into a clone (locked parts may change then). */
      pull: boolean;
    };
    /** Before a funnel's message override is saved or reset; a handler that throws refuses it. */
    'funnel.messages.proposed': { funnelId: string };
  }
}

export {};
