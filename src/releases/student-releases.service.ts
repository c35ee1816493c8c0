import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { StudentShare } from '../common/student-share';
import { studentSchedule } from '../cohorts/cohort.rules';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { isFreeLesson, LessonSpec } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { NewOutboxMessage } from '../messages/outgoing-message';
import { MessageEnrollment, Recipient, StudentMessages, StudentSchedule } from '../messages/student-messages';
import { formatLocal } from '../schedule/schedule.rules';
import { Dispatch, personalSchedule, releasedTo, splitCatchUp, studentDueAt } from './release.rules';
import { ReleaseMissingLessonError } from './releases.errors';

/** A recipient as releases see it: the enrolment's own messages need its time zone and confirmation. */
export type ReleaseRecipient = MessageEnrollment & { confirmedAt: Date | null };

function lessonIn(version: FunnelVersionRecord, key: string | undefined): LessonSpec {
  const lesson = version.lessons.find((l) => l.key === key);
  if (!lesson) throw new ReleaseMissingLessonError(key, version.version);
  return lesson;
}

/**
 * Which message reaches which student when: the times of a dispatch on the student's clock, a
 * catch-up split into what has reached them and what is still to come, the run that confirming
 * starts. The message contents are built in `messages/`; this decides only what and when.
 */
@Injectable()
export class StudentReleases {
  constructor(
    private readonly messages: StudentMessages,
    private readonly clock: Clock,
  ) {}

  /**
   * The messages one enrolment gets for one dispatch (a lesson, a catch-up, reminder, the offer, a
   * notice). `share` is the student's share block, which also holds the price the offer quotes.
   */
  forDispatch(
    dispatch: Dispatch,
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    enrollment: ReleaseRecipient,
    share?: StudentShare,
  ): NewOutboxMessage[] {
    const dueAt = studentDueAt(dispatch, cohort, version.lessons, enrollment.timezone);
    const lessonOf = () => lessonIn(version, dispatch.lessonKey);
    switch (dispatch.kind) {
      case 'lesson':
        return [this.messages.lesson(enrollment, enrollment, cohort, lessonOf(), dueAt, share)];
      case 'catchup': {
        const { released, later } = splitCatchUp(dispatch, cohort, version.lessons, enrollment.timezone);
        return [
          ...this.messages.released(
            enrollment,
            cohort,
            released.map((key) => lessonIn(version, key)),
            dueAt,
            share,
          ),
          ...later.flatMap((single) => this.forDispatch(single, cohort, version, enrollment, share)),
        ];
      }
      case 'reminder': {
        const startsAt = studentDueAt({ ...dispatch, kind: 'lesson' }, cohort, version.lessons, enrollment.timezone);
        return [this.messages.reminder(enrollment, enrollment, cohort, lessonOf(), startsAt, dueAt, share)];
      }
      case 'offer':
        return [
          this.messages.offer(
            enrollment,
            enrollment,
            cohort,
            version.offer,
            share?.price ?? version.offer.listPrice,
            dueAt,
            share,
          ),
        ];
      case 'missed':
        return [this.messages.missed(enrollment, cohort, lessonOf(), dueAt, share)];
      case 'cancelled':
        return [this.messages.cancelled(enrollment, enrollment, cohort)];
      case 'rescheduled':
        // Who confirmed after the move had the new times in their welcome already.
        if (!enrollment.confirmedAt || enrollment.confirmedAt > dispatch.fanoutAt) return [];
        return [this.messages.rescheduled(enrollment, cohort, this.scheduleFor(enrollment, cohort, version.lessons))];
    }
  }

  /** The cohort as this student runs it (their own run in an evergreen cohort), and its times for them. */
  runOf(cohort: CohortRecord, version: FunnelVersionRecord, enrollment: ReleaseRecipient) {
    const own = cohort.evergreen
      ? personalSchedule(cohort, version.lessons, version.offer, enrollment.confirmedAt ?? this.clock.now()).cohort
      : cohort;
    return { cohort: own, schedule: this.scheduleFor(enrollment, own, version.lessons) };
  }

  /**
   * What confirming adds to the outbox: the welcome with the student's schedule, and the classes.
   * Evergreen: the student's whole run, starting now. Otherwise a late joiner gets the classes
   * already released to them, in one catch-up.
   */
  onConfirmation(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    enrollment: ReleaseRecipient,
    student: Recipient,
    share?: StudentShare,
  ): NewOutboxMessage[] {
    const now = this.clock.now();
    const { cohort: own, schedule } = this.runOf(cohort, version, enrollment);
    const welcome = this.messages.welcome(enrollment, student, own, schedule, share);
    if (cohort.evergreen) {
      // The whole run is written now; its offer quotes the price of today (the offer page has the live one).
      const run = personalSchedule(cohort, version.lessons, version.offer, enrollment.confirmedAt ?? now);
      return [welcome, ...run.dispatches.flatMap((d) => this.forDispatch(d, run.cohort, version, enrollment, share))];
    }
    const released = releasedTo(cohort, version.lessons, enrollment.timezone, now).map((key) => lessonIn(version, key));
    return [welcome, ...this.messages.released(enrollment, cohort, released, now, share)];
  }

  /** The lesson times this student will see, in their own zone (or the cohort's). */
  private scheduleFor(enrollment: ReleaseRecipient, cohort: CohortRecord, lessons: LessonSpec[]): StudentSchedule {
    const zone = enrollment.timezone ?? cohort.timezone;
    // Paid lessons belong to the paid course's cohort; the free classes are what this one sends.
    const scheduled = studentSchedule(cohort, lessons, enrollment.timezone).filter(isFreeLesson);
    const keys = new Set(scheduled.map((l) => l.key));
    return {
      zone,
      lessons: scheduled.map((l) => ({
        key: l.key,
        title: l.title,
        local: formatLocal(l.releaseAt, zone),
        startsAt: l.releaseAt,
      })),
      homework: lessons.some((l) => keys.has(l.key) && !!l.homework),
    };
  }
}
