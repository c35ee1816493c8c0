import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-error';
import { EnrollmentError } from './enrollments.errors';
import { Clock } from '../common/clock';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { LessonSpec } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { FunnelsService } from '../funnels/funnels.service';
import { studentLessonTimes } from '../releases/release.rules';
import { EnrollmentRecord } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';

/** One student's view of their cohort: its lessons, each with the time it reaches them. */
export interface StudentCourse {
  enrollment: EnrollmentRecord;
  /** The cohort as this student runs it (their own schedule in an evergreen cohort). */
  cohort: CohortRecord;
  version: FunnelVersionRecord;
  lessons: { spec: LessonSpec; startsAt: Date }[];
}

/** Loads what attendance, homework and the lesson page need to know about one student's lessons. */
@Injectable()
export class StudentLessons {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly clock: Clock,
  ) {}

  /** The course behind a student's link: the enrolment must be theirs. */
  async ownCourse(enrollmentId: string, studentId: string): Promise<StudentCourse> {
    return this.course(await this.enrollments.ownEnrollment(enrollmentId, studentId));
  }

  /** The course of any enrolment of a cohort within the tenancy (staff). */
  async courseOf(cohortId: string, enrollmentId: string, tenancy: Tenancy): Promise<StudentCourse> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const enrollment = await this.enrollments.find(enrollmentId);
    if (enrollment.cohortId !== cohortId) throw new NotFoundError('enrollment', enrollmentId);
    return this.course(enrollment, cohort);
  }

  async course(enrollment: EnrollmentRecord, shared?: CohortRecord, version?: FunnelVersionRecord) {
    const cohort = shared ?? (await this.cohorts.find(enrollment.cohortId, ALL_ORGANIZATIONS));
    const pinned = version ?? (await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS));
    const times = studentLessonTimes(cohort, pinned.lessons, pinned.offer, enrollment);
    return {
      enrollment,
      cohort: times.cohort,
      version: pinned,
      lessons: pinned.lessons.map((spec) => ({ spec, startsAt: times.startsAt.get(spec.key) ?? cohort.startAt })),
    } satisfies StudentCourse;
  }

  /**
   * One lesson of a course, refused until it has reached the student, or until `opensBeforeMs`
   * before that (a live class's page opens early for check-in).
   */
  releasedLesson(course: StudentCourse, lessonKey: string, opensBeforeMs = 0): { spec: LessonSpec; startsAt: Date } {
    const lesson = course.lessons.find((l) => l.spec.key === lessonKey);
    if (!lesson) throw new NotFoundError('lesson', lessonKey);
    if (this.clock.now().getTime() < lesson.startsAt.getTime() - opensBeforeMs) {
      throw new EnrollmentError('lesson_not_released', 'This class has not been released yet');
    }
    return lesson;
  }
}
