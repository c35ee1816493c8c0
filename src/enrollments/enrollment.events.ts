/** The durable event this feature owns (see `events/domain-events.service.ts`). */
export interface EnrollmentConfirmed {
  enrollmentId: string;
  studentId: string;
  at: Date;
}

declare module '../events/domain-events.service' {
  interface DomainEventMap {
    /** Owner: enrollments (the welcome and the classes so far). Subscriber: pricing.qualify. */
    'enrollment.confirmed': EnrollmentConfirmed;
  }
}
