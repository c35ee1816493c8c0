import { DomainErrorKind, domainErrorOf } from '../common/domain-error';
import type { WebhookRefusal } from './payment.rules';

export type OrderErrorCode =
  | 'seat_already_paid'
  | 'order_refunded'
  | 'order_not_paid'
  | 'amount_mismatch'
  | 'webhook_disabled'
  | `signature_${WebhookRefusal}`;

const KINDS: Record<OrderErrorCode, DomainErrorKind> = {
  seat_already_paid: 'conflict',
  order_refunded: 'conflict',
  order_not_paid: 'conflict',
  amount_mismatch: 'rule',
  webhook_disabled: 'not_found',
  signature_missing: 'unauthorized',
  signature_malformed: 'unauthorized',
  signature_stale: 'unauthorized',
  signature_mismatch: 'unauthorized',
};

export class OrderError extends domainErrorOf<OrderErrorCode>(KINDS) {}

/** The seat was bought already: a second order or payment for it would charge the student twice. */
export class SeatAlreadyPaidError extends OrderError {
  constructor(readonly paidOrder: { id: string; reference: string }) {
    super('seat_already_paid', `this seat was paid for by order ${paidOrder.reference}`, {
      info: { orderId: paidOrder.id, reference: paidOrder.reference },
    });
  }
}
