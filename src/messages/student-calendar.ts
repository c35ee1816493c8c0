import ical, { ICalCalendarMethod } from 'ical-generator';

/**
 * A class lasts this long in a student's calendar. The funnel sets when a class starts, not how
 * long it is; an hour is what a live class or its recording usually takes.
 */
export const CLASS_MINUTES = 60;

/** A student's classes as their calendar gets them (instants as ISO strings: it travels in message data). */
export interface StudentCalendar {
  /** The calendar's name: the cohort's. */
  name: string;
  /** The student's zone (or the cohort's), a display hint for calendar apps; the times are instants. */
  zone: string;
  /** When this calendar was made (DTSTAMP). */
  stamp: string;
  /** Grows with each reschedule, so calendar apps take the new times over the old (SEQUENCE). */
  sequence: number;
  events: { uid: string; title: string; startsAt: string }[];
}

/** SEQUENCE from the last reschedule: minutes since 2020, always growing, well within 32 bits. */
export function calendarSequence(rescheduledAt: Date | null): number {
  return rescheduledAt ? Math.floor((rescheduledAt.getTime() - Date.UTC(2020, 0, 1)) / 60_000) : 0;
}

/** The stable UID of one class of one enrolment: a new .ics of it updates the event, never duplicates it. */
export const classUid = (enrollmentId: string, lessonKey: string) => `${enrollmentId}-${lessonKey}@course-funnel`;

/** The iCalendar text (RFC 5545, METHOD:PUBLISH) of a student's classes, every time in UTC. */
export function calendarIcs(calendar: StudentCalendar): string {
  const ics = ical({
    name: calendar.name,
    prodId: { company: 'course-funnel', product: 'class schedule' },
    method: ICalCalendarMethod.PUBLISH,
    x: [{ key: 'X-WR-TIMEZONE', value: calendar.zone }],
  });
  for (const event of calendar.events) {
    const start = new Date(event.startsAt);
    ics.createEvent({
      id: event.uid,
      start,
      end: new Date(start.getTime() + CLASS_MINUTES * 60_000),
      summary: event.title,
      stamp: new Date(calendar.stamp),
      sequence: calendar.sequence,
    });
  }
  return ics.toString();
}
