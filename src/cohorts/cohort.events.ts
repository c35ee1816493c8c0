import type { FunnelSummary } from '../funnels/funnels.repository';
import type { CohortRecord } from './cohorts.repository';

declare module '../events/domain-hooks' {
  interface DomainHookMap {
    /** Before a cohort is created from a funnel, and before one opens: handlers may refuse (licenses: term, territory). */
    'cohort.proposed': { funnel: FunnelSummary; startAt: Date; territory: string | null };
    'cohort.opening': { cohort: CohortRecord };
  }
}

export {};
