import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { DomainEventMap, DomainEvents } from '../events/domain-events.service';
import { StudentSchedule } from '../messages/student-messages';
import { OutboxService } from '../outbox/outbox.service';
import { AttributionOutcome, ReferralsService } from '../referrals/referrals.service';
import { StudentShares } from '../referrals/student-shares.service';
import { StudentShare } from '../common/student-share';
import { StudentReleases } from '../releases/student-releases.service';
import { StudentsService } from '../students/students.service';
import { ownedBy, UnsubscribedError } from './enrollments.errors';
import { EnrollmentRecord, EnrollmentsRepository } from './enrollments.repository';

export interface ConfirmedEnrollment {
  enrollment: EnrollmentRecord;
  cohort: CohortRecord;
  schedule: StudentSchedule;
  /** What became of the referral code signed up with, told only now that the email is proven. */
  referral: AttributionOutcome | null;
  /** The student's own link to share, their price and the next rung. */
  share: StudentShare;
}

/**
 * Double opt-in and what it starts: the `enrollment.confirmed` event is this feature's, and its
 * own change sends the welcome and the classes so far (which ones, and when, releases decide).
 */
@Injectable()
export class EnrollmentConfirmations implements OnModuleInit {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly cohorts: CohortsService,
    private readonly students: StudentsService,
    private readonly outbox: OutboxService,
    private readonly releases: StudentReleases,
    private readonly referrals: ReferralsService,
    private readonly shares: StudentShares,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.apply('enrollment.confirmed', (confirmation) => this.applyConfirmation(confirmation));
  }

  /** The student confirms through the signed link sent to them, then gets the welcome. */
  async confirm(enrollmentId: string, studentId: string): Promise<ConfirmedEnrollment> {
    const enrollment = ownedBy(await this.enrollments.findById(enrollmentId), enrollmentId, studentId);
    if (enrollment.status === 'unsubscribed') throw new UnsubscribedError();
    await this.events.publish('enrollment.confirmed', enrollmentId, { enrollmentId, studentId, at: this.clock.now() });
    const confirmed = ownedBy(await this.enrollments.findById(enrollmentId), enrollmentId, studentId);
    const { cohort, version } = await this.pinned(confirmed);
    const own = this.releases.runOf(cohort, version, confirmed);
    return {
      enrollment: confirmed,
      cohort: own.cohort,
      schedule: own.schedule,
      referral: await this.referrals.outcomeFor(confirmed.id),
      share: await this.shares.shareOf(version.offer, cohort, confirmed),
    };
  }

  /** The confirmation's own change: the welcome and the classes so far go out (safe to repeat). */
  private async applyConfirmation({ enrollmentId, studentId, at }: DomainEventMap['enrollment.confirmed']) {
    const confirmed = await this.enrollments.confirm(enrollmentId, at);
    // Unsubscribed before a late redelivery: nothing to send any more.
    if (confirmed?.status !== 'confirmed') return;
    await this.outbox.resumeStudent(studentId);
    const [{ cohort, version }, student] = await Promise.all([this.pinned(confirmed), this.students.get(studentId)]);
    // The welcome is where sharing starts: the referral code is made here, once.
    const share = await this.shares.shareOf(version.offer, cohort, confirmed);
    await this.outbox.enqueue(this.releases.onConfirmation(cohort, version, confirmed, student, share));
  }

  /** The enrolment's cohort and the funnel version it is pinned to. */
  private async pinned(enrollment: EnrollmentRecord) {
    const cohort = await this.cohorts.find(enrollment.cohortId, ALL_ORGANIZATIONS);
    return { cohort, version: await this.cohorts.pinnedVersion(cohort) };
  }
}
