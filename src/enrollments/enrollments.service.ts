import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { csvRows, toCsv } from '../common/csv';
import { NotFoundError } from '../common/domain-error';
import { CohortsService } from '../cohorts/cohorts.service';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { OutboxService } from '../outbox/outbox.service';
import { StudentMessages } from '../messages/student-messages';
import { ReferralsService } from '../referrals/referrals.service';
import { emailKey, identityKey } from '../students/email.rules';
import { StudentsService } from '../students/students.service';
import { EnrollDto } from './dto/enroll.dto';
import { EnrollmentConfirmations } from './enrollment-confirmations.service';
import { enrollmentRefusal } from '../cohorts/sign-up.rules';
import { CohortFullError, EnrollmentClosedError, ownedBy } from './enrollments.errors';
import { EnrollmentStatus } from './enrollment.schema';
import { EnrollmentRecord, EnrollmentsRepository } from './enrollments.repository';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';

const ENROLLMENT_CSV_HEADER = ['seat', 'name', 'email', 'locale', 'timezone', 'status', 'enrolled_at'];

export interface EnrollmentPage {
  items: EnrollmentRecord[];
  /** Pass as `afterSeat` for the next page; null on the last page. */
  next: number | null;
}

@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly cohorts: CohortsService,
    private readonly students: StudentsService,
    private readonly outbox: OutboxService,
    private readonly messages: StudentMessages,
    private readonly referrals: ReferralsService,
    private readonly confirmations: EnrollmentConfirmations,
    private readonly clock: Clock,
  ) {}

  /**
   * Public sign-up. Idempotent per (cohort, normalised email): signing up again returns the same
   * enrolment. Never over capacity, however many sign-ups race on however many instances. A
   * referral code is attributed here (first valid code wins); its outcome is told on confirmation,
   * not to whoever submitted the form, so the answer leaks nothing about who is enrolled.
   * `askToConfirm: false`: the caller confirms the place itself (a staff import of students who agreed).
   */
  async enroll(
    cohortId: string,
    dto: EnrollDto,
    ip?: string,
    { askToConfirm = true }: { askToConfirm?: boolean } = {},
  ): Promise<EnrollmentRecord> {
    const cohort = await this.cohorts.find(cohortId, ALL_ORGANIZATIONS);
    const now = this.clock.now();
    const refusal = enrollmentRefusal(cohort, now);
    if (refusal) throw new EnrollmentClosedError(cohortId, refusal);
    const { student } = await this.students.register(dto);
    const result = await this.enrollments.takeSeat(
      {
        cohortId,
        studentId: student.id,
        emailKey: emailKey(student.email),
        email: student.email,
        identity: identityKey(student.email),
        name: student.name,
        locale: dto.locale ?? student.locale,
        ...(dto.timezone ? { timezone: dto.timezone } : {}),
        ...(dto.referralCode ? { referralCode: dto.referralCode } : {}),
        createdAt: now,
      },
      cohort.capacity,
    );
    if (result.kind === 'full') throw new CohortFullError(cohortId);
    if (dto.referralCode) {
      // Someone who signed up without a code (or with a refused one) was already in the funnel.
      await this.attribute(result.enrollment, cohort, dto.referralCode, ip, result.kind === 'existing');
    }
    // Staff importing students who already agreed confirm them at once: no request to confirm.
    if (result.enrollment.status === 'pending' && askToConfirm) {
      // Idempotent: a repeated sign-up finds the same key and sends nothing new.
      await this.outbox.enqueue([this.messages.confirm(result.enrollment, student, cohort)]);
    }
    return result.enrollment;
  }

  private async attribute(
    enrollment: EnrollmentRecord,
    cohort: CohortRecord,
    code: string,
    ip: string | undefined,
    signedUpBefore: boolean,
  ) {
    const funnelCohorts: string[] = [];
    for await (const page of this.cohorts.ofFunnel(cohort.funnelId)) funnelCohorts.push(...page.map((c) => c.id));
    const identity = identityKey(enrollment.email);
    const alreadyInFunnel =
      signedUpBefore ||
      (await this.enrollments.existsElsewhere(
        { studentId: enrollment.studentId, identity },
        funnelCohorts,
        enrollment.id,
      ));
    await this.referrals.attribute({ ...this.referralParty(enrollment, cohort), alreadyInFunnel }, code, ip);
  }

  /** An enrolment as the referral feature sees it. */
  referralParty(enrollment: EnrollmentRecord, cohort: CohortRecord) {
    return {
      enrollmentId: enrollment.id,
      studentId: enrollment.studentId,
      cohortId: cohort.id,
      funnelId: cohort.funnelId,
      email: enrollment.email,
    };
  }

  /**
   * Gives a buyer their place in the paid course's cohort: no double opt-in (they proved their
   * address in the free cohort), no sign-up window, but its capacity holds. Idempotent.
   */
  async placeBuyer(paidCohortId: string, buyer: EnrollmentRecord): Promise<EnrollmentRecord> {
    const cohort = await this.cohorts.find(paidCohortId, ALL_ORGANIZATIONS);
    const result = await this.enrollments.takeSeat(
      {
        cohortId: paidCohortId,
        studentId: buyer.studentId,
        emailKey: buyer.emailKey,
        email: buyer.email,
        identity: identityKey(buyer.email),
        name: buyer.name,
        locale: buyer.locale,
        ...(buyer.timezone ? { timezone: buyer.timezone } : {}),
        createdAt: this.clock.now(),
      },
      cohort.capacity,
    );
    if (result.kind === 'full') throw new CohortFullError(paidCohortId);
    if (result.enrollment.status !== 'pending') return result.enrollment;
    return (await this.confirmations.confirm(result.enrollment.id, buyer.studentId)).enrollment;
  }
  /** A refund gives the paid place back. */
  async withdraw(enrollmentId: string): Promise<void> {
    await this.enrollments.withdraw(enrollmentId, this.clock.now());
  }

  signUpCounts(cohortId: string): Promise<{ enrolled: number; confirmed: number }> {
    return this.enrollments.signUpCounts(cohortId);
  }

  async find(enrollmentId: string): Promise<EnrollmentRecord> {
    const enrollment = await this.enrollments.findById(enrollmentId);
    if (!enrollment) throw new NotFoundError('enrollment', enrollmentId);
    return enrollment;
  }

  /** An enrolment and its cohort: what a student's mail is addressed with. */
  async findWithCohort(enrollmentId: string): Promise<{ enrollment: EnrollmentRecord; cohort: CohortRecord }> {
    const enrollment = await this.find(enrollmentId);
    return { enrollment, cohort: await this.cohorts.find(enrollment.cohortId, ALL_ORGANIZATIONS) };
  }

  /** The enrolment behind a link, which must belong to the link's student. */
  async ownEnrollment(enrollmentId: string, studentId: string): Promise<EnrollmentRecord & { cohortName: string }> {
    const enrollment = ownedBy(await this.enrollments.findById(enrollmentId), enrollmentId, studentId);
    return { ...enrollment, cohortName: (await this.cohorts.find(enrollment.cohortId, ALL_ORGANIZATIONS)).name };
  }

  /** One-click unsubscribe: every enrolment of the student stops, and so does all mail not yet sent. */
  async unsubscribe(studentId: string): Promise<void> {
    await this.outbox.stopStudent(studentId, await this.enrollments.cohortsOf(studentId));
    await this.enrollments.unsubscribeStudent(studentId, this.clock.now());
  }

  /**
   * A cohort's enrolments in the given statuses, in batches, for fan-outs to cohorts of any size.
   * 250 a batch: as fast as 1,000 (measured: enqueue 1.16 vs 1.08 x a raw insert, 20,000 students),
   * and a 20,000-student fan-out peaks at 166 MB RSS instead of 252 MB.
   */
  batches(cohortId: string, statuses: readonly EnrollmentStatus[], size = 250): AsyncGenerator<EnrollmentRecord[]> {
    return this.enrollments.stream(cohortId, statuses, size);
  }

  /** All of a cohort's enrolments in seat order, in batches: the cohort-wide reports. */
  inSeatOrder(cohortId: string, size: number): AsyncGenerator<EnrollmentRecord[]> {
    return this.enrollments.streamInSeatOrder(cohortId, size);
  }

  async list(cohortId: string, tenancy: Tenancy, limit = 100, afterSeat = 0): Promise<EnrollmentPage> {
    await this.cohorts.find(cohortId, tenancy); // 404 for an unknown cohort, or another organisation's
    return this.page(cohortId, limit, afterSeat);
  }

  /** A page of the enrolments staff look for: by name or email, and status. */
  async browse(
    cohortId: string,
    tenancy: Tenancy,
    filter: { limit: number; afterSeat: number; search?: string; status?: EnrollmentStatus },
  ): Promise<EnrollmentPage> {
    await this.cohorts.find(cohortId, tenancy);
    const { limit, afterSeat, ...by } = filter;
    const items = await this.enrollments.searchPage(cohortId, limit, afterSeat, by);
    return { items, next: items.length === limit ? (items[items.length - 1]?.seat ?? null) : null };
  }

  /** The cohort's enrolments as CSV (BOM and header first), streamed in seat order. */
  async *csv(cohortId: string, tenancy: Tenancy): AsyncGenerator<string> {
    await this.cohorts.find(cohortId, tenancy);
    yield toCsv(ENROLLMENT_CSV_HEADER, []);
    for await (const batch of this.enrollments.streamInSeatOrder(cohortId, 500)) {
      yield csvRows(
        batch.map((e) => [e.seat, e.name, e.email, e.locale, e.timezone ?? '', e.status, e.createdAt.toISOString()]),
      );
    }
  }

  /** A page in seat order of a cohort the caller has already found. */
  async page(cohortId: string, limit: number, afterSeat: number): Promise<EnrollmentPage> {
    const items = await this.enrollments.listPage(cohortId, limit, afterSeat);
    return { items, next: items.length === limit ? (items[items.length - 1]?.seat ?? null) : null };
  }
}
