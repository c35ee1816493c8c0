import { Injectable } from '@nestjs/common';
import { SignedLinksService } from '../auth/signed-links.service';
import { Clock } from '../common/clock';
import { Locale } from '../common/locale';
import { Money } from '../common/money';
import { StudentShare } from '../common/student-share';
import { LessonSpec, OfferSpec } from '../funnels/funnel-content';
import { MessageData, MessageKind } from './message-kinds';
import { idempotencyKey, NewOutboxMessage } from './outgoing-message';
import { formatLocal } from '../schedule/schedule.rules';
import { calendarSequence, classUid, StudentCalendar } from './student-calendar';

/** What a message needs of the enrolment it goes to (an enrolment record is one). */
export interface MessageEnrollment {
  id: string;
  studentId: string;
  name: string;
  email: string;
  locale: Locale;
  timezone: string | null;
}

/** What a message needs of the cohort it is about (a cohort record, or a student's own run of it). */
export interface MessageCohort {
  id: string;
  funnelId: string;
  name: string;
  timezone: string;
  startAt: Date;
  offerDeadlineAt: Date;
  /** When the start last moved (the calendar's SEQUENCE follows it). */
  rescheduledAt?: Date | null;
}

/** The lesson times a student sees, in their own zone (or the cohort's). */
export interface StudentSchedule {
  zone: string;
  /** `startsAt`: the instant on the student's clock (for their calendar); `local`: as they read it. */
  lessons: { key: string; title: string; local: string; startsAt: Date }[];
  /** Some class sets homework (the welcome's group rules speak of it only then). */
  homework: boolean;
}

/**
 * Scheduled mail is keyed by the schedule it belongs to (the cohort start, or an evergreen student's
 * own start), so after a reschedule the new times are new messages, not duplicates of the old.
 */
const scheduled = (cohort: MessageCohort, subject?: string) =>
  `${subject ? `${subject}@` : ''}${cohort.startAt.getTime()}`;

/** Calendar feeds are subscribed to once and polled for months; the link only ever shows the times. */
const CALENDAR_LINK_TTL_SECONDS = 365 * 24 * 3600;

/** Unsubscribe links must outlive the course; they only ever stop mail. */
const UNSUBSCRIBE_LINK_TTL_SECONDS = 365 * 24 * 3600;

export interface Recipient {
  name: string;
  email: string;
}

/** Builds the outbox entries of an enrolment's own messages, with their signed links. */
@Injectable()
export class StudentMessages {
  constructor(
    private readonly links: SignedLinksService,
    private readonly clock: Clock,
  ) {}

  confirm(enrollment: MessageEnrollment, student: Recipient, cohort: MessageCohort): NewOutboxMessage {
    const confirmUrl = this.links.issue(enrollment.studentId, `/e/${enrollment.id}/confirm`, 'confirm').url;
    return this.message(enrollment, student, cohort, 'confirm', undefined, new Date(0), {
      links: { confirm: confirmUrl },
    });
  }

  welcome(
    enrollment: MessageEnrollment,
    student: Recipient,
    cohort: MessageCohort,
    schedule: StudentSchedule,
    share?: StudentShare,
  ): NewOutboxMessage {
    return this.message(enrollment, student, cohort, 'welcome', undefined, new Date(0), {
      ...this.scheduleParts(enrollment, cohort, schedule),
      share,
    });
  }

  /**
   * The cohort's start moved: the new times, the feed link and the .ics again, once per move (the
   * key holds the move's instant) and only to students who already had the old times.
   */
  rescheduled(enrollment: MessageEnrollment, cohort: MessageCohort, schedule: StudentSchedule): NewOutboxMessage {
    const movedAt = cohort.rescheduledAt?.getTime() ?? cohort.startAt.getTime();
    return this.message(enrollment, enrollment, cohort, 'rescheduled', `${movedAt}`, new Date(0), {
      ...this.scheduleParts(enrollment, cohort, schedule),
    });
  }

  /** The signed link of the student's calendar feed, which always shows their current times. */
  calendarUrl(enrollment: Pick<MessageEnrollment, 'id' | 'studentId'>): string {
    return this.links.issue(
      enrollment.studentId,
      `/cal/${enrollment.id}/schedule.ics`,
      'calendar',
      CALENDAR_LINK_TTL_SECONDS,
    ).url;
  }

  /** The student's classes as a calendar (made now, its SEQUENCE from the last reschedule). */
  calendarOf(enrollment: Pick<MessageEnrollment, 'id'>, cohort: MessageCohort, schedule: StudentSchedule) {
    const calendar: StudentCalendar = {
      name: cohort.name,
      zone: schedule.zone,
      stamp: this.clock.now().toISOString(),
      sequence: calendarSequence(cohort.rescheduledAt ?? null),
      events: schedule.lessons.map((l) => ({
        uid: classUid(enrollment.id, l.key),
        title: l.title,
        startsAt: l.startsAt.toISOString(),
      })),
    };
    return calendar;
  }

  /** What the welcome and the reschedule notice say of the times: the list, the .ics and the feed. */
  private scheduleParts(enrollment: MessageEnrollment, cohort: MessageCohort, schedule: StudentSchedule) {
    return {
      schedule: {
        zone: schedule.zone,
        lessons: schedule.lessons.map((l) => ({ title: l.title, local: l.local })),
        homework: schedule.homework,
      },
      calendar: this.calendarOf(enrollment, cohort, schedule),
      links: { calendar: this.calendarUrl(enrollment) },
    };
  }

  /**
   * Classes that reached a student all at once (a late joiner, a group moved with catchUp): one
   * class is its own lesson mail; more are one catch-up mail listing them, not a burst of mails.
   */
  released(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    lessons: LessonSpec[],
    dueAt: Date,
    share?: StudentShare,
  ): NewOutboxMessage[] {
    const lessonKeys = lessons.map((lesson) => lesson.key);
    if (lessons.length <= 1) {
      return lessons.map((lesson) => this.lesson(enrollment, enrollment, cohort, lesson, dueAt, share));
    }
    return [
      this.message(enrollment, enrollment, cohort, 'catchup', scheduled(cohort, lessonKeys.join('+')), dueAt, {
        lessons: lessons.map((lesson) => ({ title: lesson.title, link: this.lessonUrl(enrollment, lesson) })),
        count: lessons.length,
        share,
      }),
    ];
  }

  /** A released lesson, with the link to its page. */
  lesson(
    enrollment: MessageEnrollment,
    student: Recipient,
    cohort: MessageCohort,
    lesson: LessonSpec,
    dueAt: Date,
    share?: StudentShare,
  ): NewOutboxMessage {
    return this.message(enrollment, student, cohort, 'lesson', scheduled(cohort, lesson.key), dueAt, {
      lesson: { title: lesson.title, body: lesson.body, homework: !!lesson.homework },
      links: { lesson: this.lessonUrl(enrollment, lesson) },
      share,
    });
  }

  /** A nudge to a student who missed a class, with the link to catch up. */
  missed(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    lesson: LessonSpec,
    dueAt: Date,
    share?: StudentShare,
  ): NewOutboxMessage {
    return this.message(enrollment, enrollment, cohort, 'missed', scheduled(cohort, lesson.key), dueAt, {
      lesson: { title: lesson.title },
      links: { lesson: this.lessonUrl(enrollment, lesson) },
      share,
    });
  }

  /** A student's homework was graded (version `version` of its grade). */
  graded(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    lesson: LessonSpec,
    version: number,
    homework: Extract<MessageData, { kind: 'graded' }>['data']['homework'],
  ): NewOutboxMessage {
    return this.message(enrollment, enrollment, cohort, 'graded', `${lesson.key}#${version}`, new Date(0), {
      lesson: { title: lesson.title },
      homework,
      links: { lesson: this.lessonUrl(enrollment, lesson) },
    });
  }

  /** A reminder that a class starts soon, with its time in the student's zone. */
  reminder(
    enrollment: MessageEnrollment,
    student: Recipient,
    cohort: MessageCohort,
    lesson: LessonSpec,
    startsAt: Date,
    dueAt: Date,
    share?: StudentShare,
  ): NewOutboxMessage {
    return this.message(enrollment, student, cohort, 'reminder', scheduled(cohort, lesson.key), dueAt, {
      lesson: { title: lesson.title, local: formatLocal(startsAt, enrollment.timezone ?? cohort.timezone) },
      share,
    });
  }

  /** The paid offer after the last closing class, at the student's price. */
  offer(
    enrollment: MessageEnrollment,
    student: Recipient,
    cohort: MessageCohort,
    offer: OfferSpec,
    price: Money,
    dueAt: Date,
    share?: StudentShare,
  ): NewOutboxMessage {
    const offerUrl = this.offerUrl(enrollment);
    const zone = enrollment.timezone ?? cohort.timezone;
    return this.message(enrollment, student, cohort, 'offer', scheduled(cohort), dueAt, {
      offer: {
        courseName: offer.courseName,
        price,
        listPrice: offer.listPrice,
        discounted: price.amount < offer.listPrice.amount,
        deadlineLocal: formatLocal(cohort.offerDeadlineAt, zone),
      },
      links: { offer: offerUrl },
      share,
    });
  }

  /** A lower price was unlocked by the student's referrals (one message per tier reached). */
  unlocked(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    offer: OfferSpec,
    reached: {
      tier: number;
      price: Money;
      qualifiedReferrals: number;
      next: { price: Money; referralsNeeded: number } | null;
    },
    shareUrl: string,
  ): NewOutboxMessage {
    return this.message(enrollment, enrollment, cohort, 'unlocked', `tier${reached.tier}`, new Date(0), {
      offer: {
        courseName: offer.courseName,
        price: reached.price,
        listPrice: offer.listPrice,
        qualifiedReferrals: reached.qualifiedReferrals,
      },
      next: reached.next && { price: reached.next.price, referralsNeeded: reached.next.referralsNeeded },
      links: { offer: this.offerUrl(enrollment), share: shareUrl },
    });
  }

  /** The receipt for a paid order (one per order). */
  receipt(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    order: { id: string; reference: string; courseName: string; amount: Money; paidAt: Date },
  ): NewOutboxMessage {
    const zone = enrollment.timezone ?? cohort.timezone;
    return this.message(enrollment, enrollment, cohort, 'receipt', order.id, new Date(0), {
      order: {
        reference: order.reference,
        courseName: order.courseName,
        amount: order.amount,
        paidAtLocal: formatLocal(order.paidAt, zone),
      },
    });
  }

  /** Money going back: the whole order, or a price-protection difference (`refundKey` keeps each once). */
  refunded(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    order: { reference: string; courseName: string },
    refund: { key: string; amount: Money; full: boolean },
  ): NewOutboxMessage {
    return this.message(enrollment, enrollment, cohort, 'refunded', refund.key, new Date(0), {
      order,
      refund: { amount: refund.amount, full: refund.full },
    });
  }

  /** The student was promoted (one message per level reached). */
  promoted(
    enrollment: MessageEnrollment,
    cohort: MessageCohort,
    level: { key: string; name: string; commissionPercent: string },
  ): NewOutboxMessage {
    return this.message(enrollment, enrollment, cohort, 'promoted', level.key, new Date(0), {
      level: { name: level.name, commissionPercent: level.commissionPercent },
    });
  }

  cancelled(enrollment: MessageEnrollment, student: Recipient, cohort: MessageCohort): NewOutboxMessage {
    return this.message(enrollment, student, cohort, 'cancelled', undefined, new Date(0), {});
  }

  unsubscribeUrl(studentId: string): string {
    return this.links.issue(studentId, '/u', 'unsubscribe', UNSUBSCRIBE_LINK_TTL_SECONDS).url;
  }

  /** The signed link to the offer page (the student's price, referrals and checkout). */
  offerUrl(enrollment: Pick<MessageEnrollment, 'id' | 'studentId'>): string {
    return this.links.issue(enrollment.studentId, `/o/${enrollment.id}`, 'offer').url;
  }

  /** The signed link to a lesson's page for this enrolment. */
  private lessonUrl(enrollment: MessageEnrollment, lesson: LessonSpec): string {
    return this.links.issue(enrollment.studentId, `/l/${enrollment.id}/${lesson.key}`, 'lesson').url;
  }

  /**
   * One message per enrolment, kind and `subject` (the lesson key for lessons); a `dueAt` in the
   * past (the epoch for transactional mail) puts a message ahead of scheduled ones.
   */
  private message(
    enrollment: MessageEnrollment,
    student: Recipient,
    cohort: MessageCohort,
    kind: MessageKind,
    subject: string | undefined,
    dueAt: Date,
    extra: { links?: Record<string, string>; [field: string]: unknown },
  ): NewOutboxMessage {
    const unsubscribe = this.unsubscribeUrl(enrollment.studentId);
    // Mail without a share block (a notice, a receipt) carries no `share` key at all.
    if (extra['share'] === undefined) delete extra['share'];
    return {
      key: idempotencyKey(enrollment.id, kind, subject),
      kind,
      locale: enrollment.locale,
      to: student.email,
      data: {
        student: { name: student.name },
        cohort: { name: cohort.name },
        ...extra,
        links: { unsubscribe, ...extra.links },
      },
      unsubscribeUrl: unsubscribe,
      cohortId: cohort.id,
      studentId: enrollment.studentId,
      funnelId: cohort.funnelId,
      nextAttemptAt: dueAt,
    };
  }
}
