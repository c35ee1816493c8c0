import { Injectable } from '@nestjs/common';
import { SignedLinksService } from '../auth/signed-links.service';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { studentSchedule } from '../cohorts/cohort.rules';
import { LessonSpec } from '../funnels/funnel-content';
import { NewOutboxMessage } from '../outbox/outbox.repository';
import { idempotencyKey } from '../outbox/outbox.rules';
import { formatLocal } from '../schedule/schedule.rules';
import { EnrollmentRecord } from './enrollments.repository';

/** Unsubscribe links must outlive the course; they only ever stop mail. */
const UNSUBSCRIBE_LINK_TTL_SECONDS = 365 * 24 * 3600;

export interface Recipient {
  name: string;
  email: string;
}

/** Builds the outbox entries of an enrolment's own messages, with their signed links. */
@Injectable()
export class EnrollmentMessages {
  constructor(private readonly links: SignedLinksService) {}

  confirm(enrollment: EnrollmentRecord, student: Recipient, cohort: CohortRecord): NewOutboxMessage {
    const confirmUrl = this.links.issue(enrollment.studentId, `/e/${enrollment.id}/confirm`, 'confirm').url;
    return this.message(enrollment, student, cohort, 'confirm', {
      links: { confirm: confirmUrl },
    });
  }

  welcome(
    enrollment: EnrollmentRecord,
    student: Recipient,
    cohort: CohortRecord,
    lessons: LessonSpec[],
  ): NewOutboxMessage {
    return this.message(enrollment, student, cohort, 'welcome', {
      schedule: this.scheduleFor(enrollment, cohort, lessons),
    });
  }

  /** The lesson times this student will see, in their own zone (or the cohort's). */
  scheduleFor(enrollment: EnrollmentRecord, cohort: CohortRecord, lessons: LessonSpec[]) {
    const zone = enrollment.timezone ?? cohort.timezone;
    return {
      zone,
      lessons: studentSchedule(cohort, lessons, enrollment.timezone).map((l) => ({
        title: l.title,
        local: formatLocal(l.releaseAt, zone),
      })),
    };
  }

  unsubscribeUrl(studentId: string): string {
    return this.links.issue(studentId, '/u', 'unsubscribe', UNSUBSCRIBE_LINK_TTL_SECONDS).url;
  }

  private message(
    enrollment: EnrollmentRecord,
    student: Recipient,
    cohort: CohortRecord,
    kind: 'confirm' | 'welcome',
    extra: { links?: Record<string, string>; schedule?: unknown },
  ): NewOutboxMessage {
    const unsubscribe = this.unsubscribeUrl(enrollment.studentId);
    return {
      key: idempotencyKey(enrollment.id, kind),
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
      // Due at once, and ahead of scheduled lesson mail in the worker's oldest-first order.
      nextAttemptAt: new Date(0),
    };
  }
}
