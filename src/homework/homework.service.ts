import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { DomainError, NotFoundError } from '../common/domain-error';
import { EnrollmentMessages } from '../enrollments/enrollment-messages';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { LessonSpec } from '../funnels/funnel-content';
import { OutboxService } from '../outbox/outbox.service';
import { GradeHomeworkDto, HomeworkQueueQuery, SubmitHomeworkDto } from './dto/homework.dto';
import { GradeRecord, HomeworkRepository, SubmissionRecord, submissionId } from './homework.repository';
import { autoCheckFlags, gradedCriteria, gradeTotal, homeworkDueAt, HomeworkSpec, lateness } from './homework.rules';

/** What the lesson page shows about a lesson's homework. */
export interface HomeworkView {
  spec: HomeworkSpec;
  dueAt: Date;
  submission: SubmissionRecord | null;
}

@Injectable()
export class HomeworkService {
  constructor(
    private readonly homework: HomeworkRepository,
    private readonly studentLessons: StudentLessons,
    private readonly messages: EnrollmentMessages,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** The homework of a lesson for this student, or null when the lesson sets none. */
  async viewFor(course: StudentCourse, lessonKey: string): Promise<HomeworkView | null> {
    const lesson = course.lessons.find((l) => l.spec.key === lessonKey);
    if (!lesson?.spec.homework) return null;
    return {
      spec: lesson.spec.homework,
      dueAt: homeworkDueAt(lesson.startsAt, lesson.spec.homework),
      submission: await this.homework.find(submissionId(course.enrollment.id, lessonKey)),
    };
  }

  /** Hands homework in, or replaces an ungraded submission when the spec allows it. */
  async submit(course: StudentCourse, lessonKey: string, dto: SubmitHomeworkDto): Promise<SubmissionRecord> {
    const lesson = this.studentLessons.releasedLesson(course, lessonKey);
    const spec = lesson.spec.homework;
    if (!spec) throw new NotFoundError('homework', lessonKey);
    const now = this.clock.now();
    const dueAt = homeworkDueAt(lesson.startsAt, spec);
    const late = lateness(now, dueAt, spec.latePolicy);
    if (!late.accepted) {
      throw new DomainError(
        'rule',
        late.reason === 'past_due' ? 'homework_past_due' : 'homework_past_cutoff',
        late.reason === 'past_due'
          ? `This homework was due ${dueAt.toISOString()} and late work is not accepted`
          : `This homework was due ${dueAt.toISOString()}; the last day for late work has passed`,
      );
    }
    const existing = await this.homework.find(submissionId(course.enrollment.id, lessonKey));
    if (existing?.status === 'graded') {
      throw new DomainError('conflict', 'homework_graded', 'This homework has been graded and cannot be changed');
    }
    if (existing && !spec.resubmitBeforeGrading) {
      throw new DomainError('conflict', 'homework_submitted', 'This homework has already been handed in');
    }
    const text = dto.text.trim();
    return this.homework.save({
      cohortId: course.enrollment.cohortId,
      enrollmentId: course.enrollment.id,
      studentId: course.enrollment.studentId,
      lessonKey,
      text,
      links: dto.links ?? [],
      revision: (existing?.revision ?? 0) + 1,
      submittedAt: now,
      daysLate: late.daysLate,
      penaltyPercent: late.penaltyPercent,
      flags: autoCheckFlags(text, spec.autoCheck),
    });
  }

  async queue(query: HomeworkQueueQuery): Promise<CursorPage<SubmissionRecord>> {
    const limit = query.limit ?? 50;
    const items = await this.homework.listPage(
      {
        ...(query.cohortId ? { cohortId: query.cohortId } : {}),
        ...(query.lessonKey ? { lessonKey: query.lessonKey } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.flagged !== undefined ? { flagged: query.flagged } : {}),
      },
      limit,
      query.after,
    );
    return cursorPage(items, limit);
  }

  async get(id: string): Promise<SubmissionRecord> {
    const submission = await this.homework.find(id);
    if (!submission) throw new NotFoundError('homework', id);
    return submission;
  }

  history(id: string): Promise<GradeRecord[]> {
    return this.get(id).then(() => this.homework.gradeHistory(id));
  }

  /**
   * Scores every rubric criterion; the server computes the total and the late penalty. Regrading
   * adds a version. Two graders at once: the first wins, the other gets a conflict.
   */
  async grade(id: string, dto: GradeHomeworkDto, gradedBy: string): Promise<SubmissionRecord> {
    const submission = await this.get(id);
    const course = await this.studentLessons.courseOf(submission.cohortId, submission.enrollmentId);
    const lesson = course.lessons.find((l) => l.spec.key === submission.lessonKey)?.spec;
    if (!lesson?.homework) throw new NotFoundError('homework', id);
    const expected = dto.expectedVersion ?? submission.grade?.version ?? 0;
    if (expected !== (submission.grade?.version ?? 0)) throw this.conflict();
    const total = gradeTotal(lesson.homework, dto.scores, submission.penaltyPercent);
    const version = expected + 1;
    const added = await this.homework.addGrade({
      submissionId: id,
      version,
      revision: submission.revision,
      scores: dto.scores.map((s) => ({ key: s.key, score: s.score, feedback: s.feedback?.trim() ?? '' })),
      feedback: dto.feedback?.trim() ?? '',
      ...total,
      gradedBy,
      gradedAt: this.clock.now(),
    });
    if (!added) throw this.conflict();
    const graded = await this.get(id);
    await this.outbox.enqueue([this.gradedMessage(course, lesson, graded, version)]);
    return graded;
  }

  private gradedMessage(course: StudentCourse, lesson: LessonSpec, graded: SubmissionRecord, version: number) {
    const spec = lesson.homework!;
    const grade = graded.grade!;
    return this.messages.graded(course.enrollment, course.cohort, lesson, version, {
      total: grade.total,
      maxScore: spec.maxScore,
      passed: grade.passed,
      penaltyPoints: grade.penaltyPoints,
      feedback: grade.feedback,
      criteria: gradedCriteria(spec.rubric, grade.scores),
    });
  }

  private conflict() {
    return new DomainError(
      'conflict',
      'grading_conflict',
      'Someone else graded this submission meanwhile; reload it and grade again if needed',
    );
  }

  /** Homework passed by one student (for completion). */
  async passedCount(enrollmentId: string): Promise<number> {
    const all = await this.homework.forEnrollment(enrollmentId);
    return [...all.values()].filter((s) => s.grade?.passed).length;
  }
}
