import { Injectable } from '@nestjs/common';
import { isURL } from 'class-validator';
import { AttendanceService } from '../attendance/attendance.service';
import { Clock } from '../common/clock';
import { HomeworkError } from '../homework/homework.errors';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { renderLessonBody } from '../funnels/lesson-body';
import { progressOf, Progress } from '../homework/completion.rules';
import { HomeworkService, StudentSubmission } from '../homework/homework.service';
import { gradedCriteria } from '../homework/homework.rules';
import { RubricCriterion } from '../funnels/homework-spec';
import { PageRenderer } from '../pages/page.renderer';
import { PAGE_TEXT } from '../pages/page-text';
import { formatLocal } from '../schedule/schedule.rules';
import { StudentsService } from '../students/students.service';
import { LessonAttendanceView } from '../attendance/attendance.rules';
import { StudentShares } from '../referrals/student-shares.service';
import { shareText } from '../common/student-share';

/** What a student does on a lesson: shared by the lesson page and the student API. */
@Injectable()
export class LessonPagesService {
  constructor(
    private readonly studentLessons: StudentLessons,
    private readonly attendance: AttendanceService,
    private readonly homework: HomeworkService,
    private readonly students: StudentsService,
    private readonly pages: PageRenderer,
    private readonly shares: StudentShares,
    private readonly clock: Clock,
  ) {}

  /** Renders the lesson page; opening it once the class is released records `joined`. */
  /** `query` is the page URL's query string (its signed token), which the forms post back with. */
  async show(enrollmentId: string, studentId: string, lessonKey: string, query: string) {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    const lesson = this.studentLessons.releasedLesson(course, lessonKey, this.attendance.opensBeforeMs(course));
    const released = this.clock.now() >= lesson.startsAt;
    if (released) await this.attendance.opened(course, lessonKey);
    const student = await this.students.get(studentId);
    const locale = course.enrollment.locale;
    const text = PAGE_TEXT[locale].lesson;
    const { views, progress } = await this.progress(course);
    const mine = views.find((v) => v.lessonKey === lessonKey);
    const homework = await this.homework.viewFor(course, lessonKey);
    const share = await this.shares.shareOf(course.version.offer, course.cohort, course.enrollment);
    const zone = course.enrollment.timezone ?? course.cohort.timezone;
    const action = (suffix: string) => `${lessonKey}/${suffix}${query ? `?${query}` : ''}`;
    return this.pages.lesson(locale, {
      cohort: course.cohort.name,
      title: lesson.spec.title,
      bodyHtml: released ? renderLessonBody(lesson.spec.body, student).html : '',
      text,
      attendance: {
        checkedIn: !!mine?.checkedInAt,
        canCheckIn: !!mine && this.clock.now() >= mine.checkInOpensAt,
        stateLabel: mine ? text.states[mine.state] : '',
        notes: mine?.notes ?? null,
      },
      homework: homework && {
        prompt: homework.spec.prompt,
        dueLocal: formatLocal(homework.dueAt, zone, locale),
        maxScore: homework.spec.maxScore,
        canSubmit:
          released &&
          (!homework.submission || (homework.submission.status === 'submitted' && homework.spec.resubmitBeforeGrading)),
        submission: homework.submission && {
          text: homework.submission.text,
          lateNote: homework.submission.daysLate > 0 ? text.late(homework.submission.daysLate) : null,
        },
        grade: gradeView(homework.submission, homework.spec.rubric, text),
      },
      progress: {
        line: text.progressLine(progress.attended, progress.lessons, progress.homeworkPassed),
        complete: progress.complete,
      },
      share: shareText(share, locale),
      // Relative to the page URL (so any route prefix holds), with the same signed token.
      actions: { checkIn: action('check-in'), homework: action('homework') },
    });
  }

  async checkIn(enrollmentId: string, studentId: string, lessonKey: string, notes?: string) {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    return this.attendance.checkIn(course, lessonKey, notes);
  }

  async requestExcuse(enrollmentId: string, studentId: string, lessonKey: string, reason: string) {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    return this.attendance.requestExcuse(course, lessonKey, reason);
  }

  async submitHomework(
    enrollmentId: string,
    studentId: string,
    lessonKey: string,
    homework: { text: string; links: string[] },
  ): Promise<StudentSubmission> {
    const bad = homework.links.find((l) => !isURL(l, { protocols: ['http', 'https'], require_protocol: true }));
    if (bad !== undefined || homework.links.length > 5) {
      throw new HomeworkError('invalid_links', 'links: up to 5 http(s) links, one per line', {
        fields: [{ field: 'links', errors: ['up to 5 http(s) links'] }],
      });
    }
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    return this.homework.submit(course, lessonKey, homework);
  }

  /** The student's attendance and completion across the cohort. */
  async overview(enrollmentId: string, studentId: string) {
    return this.progress(await this.studentLessons.ownCourse(enrollmentId, studentId));
  }

  private async progress(course: StudentCourse): Promise<{ views: LessonAttendanceView[]; progress: Progress }> {
    const views = await this.attendance.history(course);
    const passed = await this.homework.passedCount(course.enrollment.id);
    return {
      views,
      progress: progressOf(
        views.map((v) => v.state),
        passed,
        views.length,
        course.cohort.completion,
      ),
    };
  }
}

function gradeView(
  submission: StudentSubmission | null,
  rubric: RubricCriterion[],
  text: (typeof PAGE_TEXT)[keyof typeof PAGE_TEXT]['lesson'],
) {
  const grade = submission?.grade;
  if (!grade) return null;
  return {
    total: grade.total,
    result: grade.passed ? text.passed : text.notPassed,
    feedback: grade.feedback,
    criteria: gradedCriteria(rubric, grade.scores),
  };
}
