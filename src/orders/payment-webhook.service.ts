import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { OrderError } from './orders.errors';
import { PaymentWebhookDto } from './dto/order.dto';
import { OrdersRepository } from './orders.repository';
import { OrderPaymentsService } from './order-payments.service';
import { OrdersService } from './orders.service';

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
  ) {}

  /** Acts on a call whose signature PaymentWebhookSignatureGuard has checked. */
  async handle(event: PaymentWebhookDto): Promise<{ received: true; duplicate: boolean; status: string }> {
    const order = await this.orders.get(event.orderId, ALL_ORGANIZATIONS);
    if (event.amount.amount !== order.price.amount || event.amount.currency !== order.price.currency) {
      throw new OrderError(
        'amount_mismatch',
        `amount: ${event.amount.amount} ${event.amount.currency} is not the order's ${order.price.amount} ${order.price.currency}`,
      );
    }
    // Acting is idempotent on its own; the event record marks replays for the caller and the audit.
    const updated =
      event.type === 'payment.succeeded'
        ? await this.payments.confirmPayment(
            order.id,
            { reference: event.paymentId ?? event.id, by: 'webhook' },
            ALL_ORGANIZATIONS,
          )
        : await this.payments.refund(order.id, 'webhook', ALL_ORGANIZATIONS);
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
