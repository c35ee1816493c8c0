import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, NotFoundError } from '../common/domain-error';
import { CohortsService } from '../cohorts/cohorts.service';
import { emailKey } from '../students/email.rules';
import { StudentsService } from '../students/students.service';
import { EnrollDto } from './dto/enroll.dto';
import { enrollmentRefusal } from './enrollment.rules';
import { CohortFullError, EnrollmentClosedError } from './enrollments.errors';
import { EnrollmentRecord, EnrollmentsRepository } from './enrollments.repository';

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
    private readonly clock: Clock,
  ) {}

  /**
   * Public sign-up. Idempotent per (cohort, normalised email): signing up again returns the same
   * enrolment. Never over capacity, however many sign-ups race on however many instances.
   */
  async enroll(cohortId: string, dto: EnrollDto): Promise<EnrollmentRecord> {
    const cohort = await this.cohorts.find(cohortId);
    const now = this.clock.now();
    const refusal = enrollmentRefusal(cohort, now);
    if (refusal) throw new EnrollmentClosedError(cohortId, refusal);
    const { student } = await this.students.register(dto);
    const result = await this.enrollments.takeSeat(
      {
        cohortId,
        studentId: student.id,
        emailKey: emailKey(student.email),
        locale: dto.locale ?? student.locale,
        ...(dto.timezone ? { timezone: dto.timezone } : {}),
        ...(dto.referralCode ? { referralCode: dto.referralCode } : {}),
        createdAt: now,
      },
      cohort.capacity,
    );
    if (result.kind === 'full') throw new CohortFullError(cohortId);
    return result.enrollment;
  }

  /** Double opt-in: the student confirms through the signed link sent to them. */
  async confirm(enrollmentId: string, studentId: string): Promise<EnrollmentRecord> {
    const enrollment = await this.enrollments.findById(enrollmentId);
    if (!enrollment) throw new NotFoundError('enrollment', enrollmentId);
    if (enrollment.studentId !== studentId) {
      throw new DomainError('forbidden', 'not_your_enrollment', 'This link is not valid for this enrolment');
    }
    return (await this.enrollments.confirm(enrollmentId, this.clock.now())) ?? enrollment;
  }

  async list(cohortId: string, limit = 100, afterSeat = 0): Promise<EnrollmentPage> {
    await this.cohorts.find(cohortId); // 404 for an unknown cohort
    const items = await this.enrollments.listPage(cohortId, limit, afterSeat);
    return { items, next: items.length === limit ? (items[items.length - 1]?.seat ?? null) : null };
  }
}
