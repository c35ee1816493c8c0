import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { PaymentWebhookDto } from './dto/order.dto';
import { OrdersRepository } from './orders.repository';
import { OrderPaymentsService } from './order-payments.service';
import { OrdersService } from './orders.service';
import { verifyWebhookSignature, WebhookRefusal } from './payment.rules';

const REFUSALS: Record<WebhookRefusal, string> = {
  missing: 'The call is not signed (X-Course-Funnel-Signature)',
  malformed: 'The signature header does not parse (t=<seconds>,v1=<hex>)',
  stale: 'The signature is too old or too new (a replayed call?)',
  mismatch: 'The signature does not match this body',
};

/**
 * The generic payment provider: it calls back, signed with the shared secret. A tampered, unsigned
 * or old call is refused and changes nothing; a repeated event is answered without acting twice.
 */
@Injectable()
export class PaymentWebhookService {
  constructor(
    private readonly orders: OrdersService,
    private readonly payments: OrderPaymentsService,
    private readonly repository: OrdersRepository,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  async handle(
    event: PaymentWebhookDto,
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean; status: string }> {
    const { webhookSecret, webhookToleranceSeconds } = this.options.payments;
    if (!webhookSecret) throw new DomainError('not_found', 'webhook_disabled', 'The payment webhook is not set up');
    if (!rawBody) throw new Error('the raw request body is needed to check webhook signatures (rawBody: true)');
    const check = verifyWebhookSignature(webhookSecret, signature, rawBody, this.clock.now(), webhookToleranceSeconds);
    if (!check.ok) throw new DomainError('unauthorized', `signature_${check.reason}`, REFUSALS[check.reason]);

    const order = await this.orders.get(event.orderId);
    if (event.amount.amount !== order.price.amount || event.amount.currency !== order.price.currency) {
      throw new DomainError(
        'rule',
        'amount_mismatch',
        `amount: ${event.amount.amount} ${event.amount.currency} is not the order's ${order.price.amount} ${order.price.currency}`,
      );
    }
    // Acting is idempotent on its own; the event record marks replays for the caller and the audit.
    const updated =
      event.type === 'payment.succeeded'
        ? await this.payments.confirmPayment(order.id, { reference: event.paymentId ?? event.id, by: 'webhook' })
        : await this.payments.refund(order.id, 'webhook');
    const fresh = await this.repository.recordOnce(`webhook:${event.id}`, {
      orderId: order.id,
      kind: event.type,
      amount: order.price,
      reference: event.id,
      by: 'webhook',
      at: this.clock.now(),
    });
    return { received: true, duplicate: !fresh, status: updated.status };
  }
}
