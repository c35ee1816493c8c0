import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { OrderError } from './orders.errors';
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
    if (!webhookSecret) throw new OrderError('webhook_disabled', 'The payment webhook is not set up');
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const signature = request.header(WEBHOOK_SIGNATURE_HEADER);
    const check = verifyWebhookSignature(
      webhookSecret,
      signature,
      signedBody(request),
      this.clock.now(),
      webhookToleranceSeconds,
    );
    if (!check.ok) throw new OrderError(`signature_${check.reason}`, REFUSALS[check.reason]);
    return true;
  }
}

/**
 * The bytes the signature covers. The JSON parser keeps them (rawBody) for every JSON body it reads;
 * a call with no body or another content type has none it read, so it is checked as the empty body
 * it is to the endpoint, and refused as unsigned or not signed for it (401) like any other.
 */
function signedBody(request: RawBodyRequest<Request>): Buffer {
  if (request.rawBody) return request.rawBody;
  // A JSON body read without keeping its bytes: the host app was set up without rawBody: true. The
  // server's fault, not the caller's, so a plain Error: the filter answers 500 and logs this message.
  if (request.is('application/json')) {
    throw new Error('the raw request body is needed to check webhook signatures (rawBody: true)');
  }
  return Buffer.alloc(0);
}
