/** The durable events this feature owns (see `events/domain-events.service.ts`). */
export interface OrderPaid {
  orderId: string;
  reference: string;
  by: string;
  at: Date;
}

export interface OrderRefunded {
  orderId: string;
  by: string;
  at: Date;
}

declare module '../events/domain-events.service' {
  interface DomainEventMap {
    /** Owner: orders (paid place, receipt). Subscribers: commissions.credit, licenses.share. */
    'order.paid': OrderPaid;
    /** Owner: orders (withdraws the place). Subscribers: commissions.reverse, licenses.reverse-shares. */
    'order.refunded': OrderRefunded;
  }
}
