import { Duration } from 'luxon';
import { Locale } from '../common/locale';
import { Money } from '../common/money';
import { HomeworkSpec } from './homework-spec';
import { PriceTier } from './price-ladder';
import { ReleaseOffset } from '../schedule/schedule.rules';

/** Lesson keys (`v1`, `c2`): in URLs, idempotency keys and homework ids, so kept short and plain. */
export const LESSON_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const LESSON_PHASES = ['value', 'closing', 'paid'] as const;
export type LessonPhase = (typeof LESSON_PHASES)[number];

/** Free classes (value, closing) run in the funnel; `paid` lessons belong to the paid course. */
export const isFreeLesson = (lesson: { phase: LessonPhase }): boolean => lesson.phase !== 'paid';

export interface LessonSpec {
  /** Stable within the funnel (e.g. `v1`, `c2`); messages and attendance refer to it. */
  key: string;
  phase: LessonPhase;
  title: string;
  /** Markdown with handlebars variables. */
  body: string;
  release: ReleaseOffset;
  /** Homework set after this lesson, if any. */
  homework?: HomeworkSpec;
}

export interface OfferSpec {
  courseName: string;
  listPrice: Money;
  /**
   * What the course is, in Markdown (shown on the offer page, sanitised); the student's pitch for
   * the paid course. Optional, like a blurb.
   */
  description?: string;
  /** How long after the last closing lesson the offer goes out (ISO-8601 duration; default PT2H). */
  openAfter?: string;
  /** How long after the last closing lesson the offer stays open (ISO-8601 duration). */
  deadlineAfter: string;
  /** The price ladder: lower prices from so many qualified referrals on (the list price below the first). */
  priceTiers?: PriceTier[];
  /** Referrals qualifying this many days after a purchase still earn the buyer the difference back. */
  priceProtectionDays?: number;
  /** A referral qualifies once the referee confirmed and attended this many classes (default 1). */
  referralMinClassesAttended?: number;
}

/** The offer goes out this long after the last closing class starts, unless the funnel says otherwise. */
export const DEFAULT_OFFER_OPENS_AFTER = 'PT2H';

/** How long after the last closing class starts the offer goes out, in ms (a fixed span, not a wall time). */
export function offerOpensAfterMs(offer: Pick<OfferSpec, 'openAfter'>): number {
  return Duration.fromISO(offer.openAfter ?? DEFAULT_OFFER_OPENS_AFTER).as('milliseconds');
}

/** What one version of a funnel template holds. Editing creates a new version. */
export interface FunnelContent {
  name: string;
  defaultLocale: Locale;
  lessons: LessonSpec[];
  offer: OfferSpec;
}

/** Where a licensed clone came from. */
export interface FunnelSource {
  funnelId: string;
  version: number;
  licenseId: string;
}

/** Who owns a funnel: a partner organisation, or the platform (null). */
export interface FunnelOwnership {
  organizationId: string | null;
  source: FunnelSource | null;
}
