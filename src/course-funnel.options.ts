import type { FactoryProvider, ModuleMetadata } from '@nestjs/common';
import { commissionRulesProblems, CommissionRules, DEFAULT_COMMISSION_RULES } from './commissions/commission.rules';
import { DEFAULT_PROMOTION_RULES, PromotionRules } from './commissions/promotion.rules';
import { DEFAULT_SUSPICION_LIMITS, SuspicionLimits } from './referrals/referral.rules';

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
  /** Print a one-time admin token on start when no admin token exists. Default true. */
  bootstrapAdminToken?: boolean;
  /** Outbox delivery: how often workers poll, how much they take, how failures are retried. */
  outbox?: Partial<OutboxSettings>;
  /** How often the scheduler turns due lessons into outbox messages; 0 disables the timer. */
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

const OUTBOX_DEFAULTS: OutboxSettings = {
  tickMs: 1000,
  // Up to two batches are in hand while one sends. On DocumentDB 400 sent 544 msg/s where 200 sent
  // 441 (fewer claims and polls per message), at 177 MB peak RSS (bench/release.bench.ts, 100,000).
  batchSize: 400,
  concurrency: 20,
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  leaseMs: 5 * 60_000,
};

type GrowthOptions = 'referralSuspicion' | 'commissions' | 'promotion' | 'payments';

export interface ResolvedCourseFunnelOptions extends Required<
  Omit<CourseFunnelOptions, 'mail' | 'outbox' | GrowthOptions>
> {
  mail: CourseFunnelOptions['mail'];
  outbox: OutboxSettings;
  referralSuspicion: SuspicionLimits;
  commissions: CommissionRules;
  promotion: PromotionRules;
  payments: ResolvedPaymentSettings;
}

export const COURSE_FUNNEL_OPTIONS = Symbol('COURSE_FUNNEL_OPTIONS');

export interface CourseFunnelAsyncOptions {
  imports?: NonNullable<ModuleMetadata['imports']>;
  inject?: NonNullable<FactoryProvider['inject']>;
  useFactory: (...args: never[]) => CourseFunnelOptions | Promise<CourseFunnelOptions>;
  /** Path under which every route of the module is mounted, e.g. `funnel`. */
  routePrefix?: string;
}

const MIN_SECRET_LENGTH = 32;

/** Fills defaults and refuses options that would make the module insecure or unusable. */
export function resolveOptions(options: CourseFunnelOptions): ResolvedCourseFunnelOptions {
  const problems: string[] = [];
  if (!/^mongodb(\+srv)?:\/\//.test(options.mongodbUri ?? '')) problems.push('mongodbUri must be a mongodb:// URI');
  if ((options.appSecret ?? '').length < MIN_SECRET_LENGTH)
    problems.push(`appSecret must be at least ${MIN_SECRET_LENGTH} characters`);
  if (!/^https?:\/\//.test(options.publicBaseUrl ?? '')) problems.push('publicBaseUrl must be an http(s) URL');
  if (!options.mail?.from) problems.push('mail.from is required');
  if (!options.mail?.smtpUrl && !options.mail?.mailDir) problems.push('mail.smtpUrl or mail.mailDir is required');
  const { depth, overrideRates, ...rates } = options.commissions ?? {};
  const commissions: CommissionRules = {
    ...DEFAULT_COMMISSION_RULES,
    ...rates,
    override: { enabled: depth === 2, rates: overrideRates ?? DEFAULT_COMMISSION_RULES.override.rates },
  };
  problems.push(...commissionRulesProblems({ ...commissions, ...(depth !== undefined ? { depth } : {}) }));
  const payments = options.payments ?? {};
  if (payments.webhookSecret !== undefined && payments.webhookSecret.length < MIN_SECRET_LENGTH) {
    problems.push(`payments.webhookSecret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (payments.provider === 'webhook' && !payments.webhookSecret) {
    problems.push('payments.webhookSecret is required with the webhook payment provider');
  }
  if (problems.length > 0) {
    throw new Error(`CourseFunnelModule: invalid options: ${problems.join('; ')}`);
  }
  return {
    publicRateLimitPerMinute: 120,
    studentLinkTtlSeconds: 30 * 24 * 3600,
    bootstrapAdminToken: true,
    schedulerTickMs: 10_000,
    ...options,
    outbox: { ...OUTBOX_DEFAULTS, ...options.outbox },
    publicBaseUrl: options.publicBaseUrl.replace(/\/+$/, ''),
    referralSuspicion: { ...DEFAULT_SUSPICION_LIMITS, ...options.referralSuspicion },
    commissions,
    promotion: { ...DEFAULT_PROMOTION_RULES, ...options.promotion },
    payments: {
      provider: payments.provider ?? (payments.webhookSecret ? 'webhook' : 'manual'),
      webhookSecret: payments.webhookSecret ?? null,
      checkoutUrl: payments.checkoutUrl ?? null,
      webhookToleranceSeconds: payments.webhookToleranceSeconds ?? 300,
    },
  };
}
