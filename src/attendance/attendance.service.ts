import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { Tenancy } from '../common/tenancy';
import { CohortsService } from '../cohorts/cohorts.service';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { DomainEventMap, DomainEvents } from '../events/domain-events.service';
import { isFreeLesson } from '../funnels/funnel-content';
import { AttendanceError } from './attendance.errors';
import { AttendanceRepository } from './attendance.repository';
import {
  ATTENDED,
  attendanceViews,
  AttendanceStatus,
  canCheckIn,
  ExcuseDecision,
  ExcuseRecord,
  LessonAttendance,
  LessonAttendanceView,
  windowClosesAt,
} from './attendance.rules';

/**
 * What students and staff do about attendance (open, check in, ask to be excused, mark, decide
 * an excuse) and one student's own history. The cohort-wide reads are AttendanceReports.
 */
@Injectable()
export class AttendanceService implements OnModuleInit {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly studentLessons: StudentLessons,
    private readonly cohorts: CohortsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.apply('attendance.recorded', (recorded) => this.applyRecord(recorded));
  }

  /** The student opened the lesson through their link. */
  async opened(course: StudentCourse, lessonKey: string): Promise<void> {
    await this.publish(course, lessonKey, { kind: 'joined' });
  }

  /** A check-in from the lesson page, with optional notes; checking in again keeps the first. */
  async checkIn(course: StudentCourse, lessonKey: string, notes: string | undefined): Promise<LessonAttendanceView> {
    const lesson = this.studentLessons.releasedLesson(course, lessonKey, this.opensBeforeMs(course));
    if (!canCheckIn(lesson.startsAt, course.cohort.attendance, this.clock.now())) {
      throw new AttendanceError('check_in_not_open', 'Check-in for this class has not opened yet');
    }
    const trimmed = notes?.trim();
    await this.publish(course, lessonKey, { kind: 'checked_in', ...(trimmed ? { notes: trimmed } : {}) });
    return this.lessonView(course, lessonKey);
  }

  /** Asking in advance to be excused; only until the class's window closes. */
  async requestExcuse(course: StudentCourse, lessonKey: string, reason: string): Promise<ExcuseRecord> {
    const lesson = this.freeLesson(course, lessonKey);
    if (this.clock.now() >= windowClosesAt(lesson.startsAt, course.cohort.attendance)) {
      throw new AttendanceError('class_over', 'This class is over; ask your instructor instead');
    }
    return this.attendance.requestExcuse(this.subject(course, lessonKey), reason.trim(), this.clock.now());
  }

  async mark(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    status: AttendanceStatus,
    by: string,
    tenancy: Tenancy,
  ): Promise<LessonAttendanceView> {
    const course = await this.studentLessons.courseOf(cohortId, enrollmentId, tenancy);
    this.freeLesson(course, lessonKey);
    await this.publish(course, lessonKey, { kind: 'mark', status, by });
    return this.lessonView(course, lessonKey);
  }

  async decideExcuse(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    decision: ExcuseDecision,
    by: string,
    tenancy: Tenancy,
  ): Promise<ExcuseRecord> {
    await this.cohorts.find(cohortId, tenancy);
    const decided = await this.attendance.decideExcuse(
      { cohortId, enrollmentId, lessonKey },
      decision,
      by,
      this.clock.now(),
    );
    if (!decided) throw new NotFoundError('excuse_request', `${enrollmentId}:${lessonKey}`);
    return decided;
  }

  async undecidedExcuses(cohortId: string, tenancy: Tenancy): Promise<ExcuseRecord[]> {
    await this.cohorts.find(cohortId, tenancy);
    return this.attendance.undecidedExcuses(cohortId, 200);
  }

  /** How many classes a student attended (present or late) so far. */
  async attendedCount(course: StudentCourse): Promise<number> {
    return (await this.history(course)).filter((v) => ATTENDED.has(v.state)).length;
  }

  /** One student's attendance, lesson by lesson. */
  async history(course: StudentCourse): Promise<LessonAttendanceView[]> {
    const recorded = await this.attendance.forEnrollments(course.enrollment.cohortId, [course.enrollment.id]);
    return attendanceViews(
      course,
      recorded.get(course.enrollment.id) ?? new Map<string, LessonAttendance>(),
      course.cohort.attendance,
      this.clock.now(),
    );
  }

  async historyOf(cohortId: string, enrollmentId: string, tenancy: Tenancy): Promise<LessonAttendanceView[]> {
    return this.history(await this.studentLessons.courseOf(cohortId, enrollmentId, tenancy));
  }

  private async lessonView(course: StudentCourse, lessonKey: string): Promise<LessonAttendanceView> {
    const view = (await this.history(course)).find((v) => v.lessonKey === lessonKey);
    if (!view) throw new NotFoundError('lesson', lessonKey);
    return view;
  }

  /** One of the course's free classes (attendance is not kept for the paid course here). */
  private freeLesson(course: StudentCourse, lessonKey: string): StudentCourse['lessons'][number] {
    const lesson = course.lessons.find((l) => l.spec.key === lessonKey && isFreeLesson(l.spec));
    if (!lesson) throw new NotFoundError('lesson', lessonKey);
    return lesson;
  }

  /** A live class's page opens when check-in does, ahead of the class. */
  opensBeforeMs(course: StudentCourse): number {
    return course.cohort.attendance.checkInOpensBeforeMinutes * 60_000;
  }

  /**
   * Attendance is an event: recorded once (a student's open or check-in; each staff mark on its
   * own), written to the attendance records by `applyRecord`, then seen by referral progress.
   */
  private async publish(
    course: StudentCourse,
    lessonKey: string,
    change: DomainEventMap['attendance.recorded']['change'],
  ): Promise<void> {
    const subject = this.subject(course, lessonKey);
    const once = change.kind === 'mark' ? `mark:${randomUUID()}` : change.kind;
    await this.events.publish('attendance.recorded', `${subject.enrollmentId}:${lessonKey}:${once}`, {
      ...subject,
      change,
      at: this.clock.now(),
    });
  }

  private async applyRecord({ change, at, ...subject }: DomainEventMap['attendance.recorded']): Promise<void> {
    if (change.kind === 'mark') await this.attendance.mark(subject, change.status, change.by, at);
    else await this.attendance.record(subject, change.kind, at, change.notes);
  }

  private subject(course: StudentCourse, lessonKey: string) {
    return { cohortId: course.enrollment.cohortId, enrollmentId: course.enrollment.id, lessonKey };
  }
}
