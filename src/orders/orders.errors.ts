import { DomainError } from '../common/domain-error';

/** The seat was bought already: a second order or payment for it would charge the student twice. */
export class SeatAlreadyPaidError extends DomainError {
  constructor(readonly paidOrder: { id: string; reference: string }) {
    super('conflict', 'seat_already_paid', `this seat was paid for by order ${paidOrder.reference}`, {
      info: { orderId: paidOrder.id, reference: paidOrder.reference },
    });
  }
}
