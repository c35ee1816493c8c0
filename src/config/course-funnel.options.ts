import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
// The rule shapes are the features' own; the module's defaults and checks are in resolve-options.ts.
import type { CommissionRules } from '../commissions/commission.rules';
import type { PromotionRules } from '../commissions/promotion.rules';
import type { SuspicionLimits } from '../referrals/referral.rules';

/** What a host application (or `main.ts`) passes to `CourseFunnelModule.forRoot()`. */
export interface CourseFunnelOptions {
  /** MongoDB connection string; the module opens its own named connection. */
  mongodbUri: string;
  /** Secret for signing student links (HMAC-SHA256). At least 32 characters. */
  appSecret: string;
  /** Absolute base URL that student links point to, including any route prefix. */
  publicBaseUrl: string;
  mail: {
    /** `From:` header of every message. */
    from: string;
    /** `smtp://` or `smtps://` URL. Without it, messages are written as .eml files to `mailDir`. */
    smtpUrl?: string;
    /** Folder for .eml files when there is no SMTP server; also enables `/dev/mailbox`. */
    mailDir?: string;
  };
  /** Requests per minute and client IP on public (non-staff) routes, counted across all instances. */
  publicRateLimitPerMinute?: number;
  /** How long a signed student link stays valid. Default 30 days. */
  studentLinkTtlSeconds?: number;
  /**
   * Issue a one-time admin token on start when no admin token exists, and log it. Default true.
   * `'quiet'`: issue it without logging; FirstAdminTokenBootstrap.issued holds it for the caller
   * (the standalone server prints it in its start-up block).
   */
  bootstrapAdminToken?: boolean | 'quiet';
  /** Outbox delivery: how often workers poll, how much they take, how failures are retried. */
  outbox?: Partial<OutboxSettings>;
  /**
   * How often the scheduler turns due lessons into outbox messages and redelivers failed events;
   * 0 turns every scheduled job off (the cron ones too: the daily level review, the rate-limit purge).
   */
  schedulerTickMs?: number;
  /** When a referral is flagged for review instead of counting at once. */
  referralSuspicion?: Partial<SuspicionLimits>;
  /**
   * Commission rates by level (basis points), the cap per sale and the refund window. `depth` 2
   * turns on the one override level above the direct referrer; deeper chains are refused.
   */
  commissions?: Partial<Omit<CommissionRules, 'override'>> & {
    depth?: 1 | 2;
    overrideRates?: CommissionRules['override']['rates'];
  };
  /** Thresholds of the member -> agent -> partner ladder and its maintenance review. */
  promotion?: Partial<PromotionRules>;
  payments?: PaymentSettings;
  channels?: Partial<ChannelSettings>;
}

export interface ChannelSettings {
  /**
   * Hosts (`host` or `host:port`) a channel's webhook may point at on any platform, over http too,
   * besides each platform's official host: a local receiver or a test's fake one. Default none.
   */
  extraHosts: string[];
}

export interface PaymentSettings {
  /**
   * `manual`: staff confirm offline payments; `webhook`: a payment provider confirms them by
   * calling `POST /api/payments/webhook`, signed with `webhookSecret`.
   */
  provider?: 'manual' | 'webhook';
  /** Shared secret of the webhook's HMAC-SHA256 signature (at least 32 characters). */
  webhookSecret?: string;
  /** Where a buyer pays with the webhook provider; `{orderId}` and `{amount}` are filled in. */
  checkoutUrl?: string;
  /** Signed webhook calls older (or newer) than this are refused as replays. Default 300. */
  webhookToleranceSeconds?: number;
}

export interface ResolvedPaymentSettings {
  provider: 'manual' | 'webhook';
  webhookSecret: string | null;
  checkoutUrl: string | null;
  webhookToleranceSeconds: number;
}

export interface OutboxSettings {
  /** Poll interval of this instance's worker; 0 disables the timer (tests drain by hand). */
  tickMs: number;
  /** Messages taken per poll. */
  batchSize: number;
  /** Messages sent at once per instance (the SMTP pool has its own connection limit). */
  concurrency: number;
  /** Attempts before a message is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim protects a message being sent; a claim older than this is a crashed send. */
  leaseMs: number;
}

type GrowthOptions = 'referralSuspicion' | 'commissions' | 'promotion' | 'payments' | 'channels';

export interface ResolvedCourseFunnelOptions extends Required<
  Omit<CourseFunnelOptions, 'mail' | 'outbox' | GrowthOptions>
> {
  mail: CourseFunnelOptions['mail'];
  outbox: OutboxSettings;
  referralSuspicion: SuspicionLimits;
  commissions: CommissionRules;
  promotion: PromotionRules;
  payments: ResolvedPaymentSettings;
  channels: ChannelSettings;
}

export const COURSE_FUNNEL_OPTIONS = Symbol('COURSE_FUNNEL_OPTIONS');

export interface CourseFunnelAsyncOptions {
  imports?: NonNullable<ModuleMetadata['imports']>;
  inject?: NonNullable<FactoryProvider['inject']>;
  useFactory: (...args: never[]) => CourseFunnelOptions | Promise<CourseFunnelOptions>;
  /** Path under which every route of the module is mounted, e.g. `funnel`. */
  routePrefix?: string;
}
