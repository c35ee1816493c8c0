import { Injectable } from '@nestjs/common';
import { isURL } from 'class-validator';
import { AttendanceService } from '../attendance/attendance.service';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
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
import { NotesService, OwnNote } from '../notes/notes.service';
import { NotesError } from '../notes/notes.errors';
import { WALL_PAGE_SIZE } from '../notes/notes.rules';

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
    private readonly notes: NotesService,
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
    // `wall` is the wall's cursor; the forms post back with the signed token only.
    const params = new URLSearchParams(query);
    const wallAfter = params.get('wall') ?? undefined;
    params.delete('wall');
    const signed = params.toString();
    const action = (suffix: string) => `${lessonKey}/${suffix}${signed ? `?${signed}` : ''}`;
    const wallLink = (cursor: string | null) => {
      const linked = new URLSearchParams(signed);
      if (cursor) linked.set('wall', cursor);
      return `${lessonKey}?${linked.toString()}`;
    };
    const [wall, ownNote] = await Promise.all([
      this.notes.wall(course, lessonKey, wallAfter, WALL_PAGE_SIZE),
      mine?.checkedInAt ? this.notes.ownNote(course, lessonKey) : null,
    ]);
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
      sharedNote: mine?.checkedInAt
        ? {
            shared: !!ownNote?.shared,
            hidden: !!ownNote?.hidden,
            value: (ownNote?.shared ? ownNote.text : mine.notes) ?? '',
          }
        : null,
      wall: {
        items: wall.items.map((n) => ({
          author: n.author ?? text.notesWall.classmate,
          text: n.text,
          when: formatLocal(n.sharedAt, zone, locale),
          iso: n.sharedAt.toISOString(),
          edited: n.editedAt.getTime() > n.sharedAt.getTime(),
          mine: n.mine,
        })),
        older: wall.next ? wallLink(wall.next) : null,
        newest: wallAfter ? wallLink(null) : null,
      },
      // Relative to the page URL (so any route prefix holds), with the same signed token.
      actions: {
        checkIn: action('check-in'),
        homework: action('homework'),
        note: action('shared-note'),
        withdrawNote: action('shared-note/withdraw'),
      },
    });
  }

  /**
   * A check-in, shared with the group when `share` is set: the note is checked (length, the
   * student's share limit) before anything is recorded, then kept apart from the check-in event.
   */
  async checkIn(enrollmentId: string, studentId: string, lessonKey: string, notes?: string, share = false) {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    const admitted = share ? await this.notes.admit(course, notes, 'notes') : null;
    const view = await this.attendance.checkIn(course, lessonKey, notes);
    const sharedNote =
      admitted !== null
        ? await this.notes.save(course, lessonKey, admitted)
        : await this.notes.ownNote(course, lessonKey);
    return { ...view, sharedNote };
  }

  /** Shares (or edits) the student's note for a class they checked in to. */
  async shareNote(enrollmentId: string, studentId: string, lessonKey: string, text: string): Promise<OwnNote> {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    const mine = (await this.attendance.history(course)).find((v) => v.lessonKey === lessonKey);
    if (!mine) throw new NotFoundError('lesson', lessonKey);
    if (!mine.checkedInAt) {
      throw new NotesError('not_checked_in', 'Check in to this class first, then share a note with your group');
    }
    return this.notes.share(course, lessonKey, text, 'text');
  }

  /** Stops sharing the student's note for a class (no note: nothing to do). */
  async withdrawNote(enrollmentId: string, studentId: string, lessonKey: string): Promise<OwnNote | null> {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    return this.notes.withdraw(course, lessonKey);
  }

  /** The class's notes wall through the student API (the page renders the same). */
  async wall(enrollmentId: string, studentId: string, lessonKey: string, after?: string) {
    const course = await this.studentLessons.ownCourse(enrollmentId, studentId);
    this.studentLessons.releasedLesson(course, lessonKey, this.attendance.opensBeforeMs(course));
    const [wall, mine] = await Promise.all([
      this.notes.wall(course, lessonKey, after, WALL_PAGE_SIZE),
      this.notes.ownNote(course, lessonKey),
    ]);
    return { ...wall, mine };
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
