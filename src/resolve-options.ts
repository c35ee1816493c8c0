import { commissionRulesProblems, CommissionRules, DEFAULT_COMMISSION_RULES } from './commissions/commission.rules';
import { DEFAULT_PROMOTION_RULES } from './commissions/promotion.rules';
import { DEFAULT_SUSPICION_LIMITS } from './referrals/referral.rules';
import { CourseFunnelOptions, OutboxSettings, ResolvedCourseFunnelOptions } from './config/course-funnel.options';

// The module's defaults and checks sit with the module, above the features whose rules they use.
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
    // Options are resolved when the module is created, before it serves anything: the host's start fails.
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
    channels: { extraHosts: options.channels?.extraHosts ?? [] },
    payments: {
      provider: payments.provider ?? (payments.webhookSecret ? 'webhook' : 'manual'),
      webhookSecret: payments.webhookSecret ?? null,
      checkoutUrl: payments.checkoutUrl ?? null,
      webhookToleranceSeconds: payments.webhookToleranceSeconds ?? 300,
    },
  };
}
