import type { AttendanceStatus } from './attendance.rules';

/** A student opened or checked in to a class (once each), or staff marked them (any number of times). */
export interface AttendanceRecorded {
  enrollmentId: string;
  cohortId: string;
  lessonKey: string;
  change: { kind: 'joined' | 'checked_in'; notes?: string } | { kind: 'mark'; status: AttendanceStatus; by: string };
  at: Date;
}

declare module '../events/domain-events.service' {
  interface DomainEventMap {
    /** Owner: attendance (records it). Subscriber: pricing.qualify (a referee who attends may qualify). */
    'attendance.recorded': AttendanceRecorded;
  }
}
