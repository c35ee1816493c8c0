import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WebhookRefusal } from './payment.rules';

const REFUSALS: Record<WebhookRefusal, string> = {
  missing: 'The call is not signed (X-Course-Funnel-Signature)',
  malformed: 'The signature header does not parse (t=<seconds>,v1=<hex>)',
  stale: 'The signature is too old or too new (a replayed call?)',
  mismatch: 'The signature does not match this body',
};

/**
 * Checks the payment provider's signature on the raw body. A guard, so it runs before validation:
 * a tampered call is a 401 whatever its body says, and an unsigned one learns nothing about the
 * shape the endpoint expects.
 */
@Injectable()
export class PaymentWebhookSignatureGuard implements CanActivate {
  constructor(
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const { webhookSecret, webhookToleranceSeconds } = this.options.payments;
    if (!webhookSecret) throw new DomainError('not_found', 'webhook_disabled', 'The payment webhook is not set up');
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    if (!request.rawBody) throw new Error('the raw request body is needed to check webhook signatures (rawBody: true)');
    const signature = request.header(WEBHOOK_SIGNATURE_HEADER);
    const check = verifyWebhookSignature(
      webhookSecret,
      signature,
      request.rawBody,
      this.clock.now(),
      webhookToleranceSeconds,
    );
    if (!check.ok) throw new DomainError('unauthorized', `signature_${check.reason}`, REFUSALS[check.reason]);
    return true;
  }
}
