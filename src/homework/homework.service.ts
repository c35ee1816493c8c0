import { Injectable, OnModuleInit } from '@nestjs/common';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { OrganizationScopes } from '../auth/organization-scope';
import { Clock } from '../common/clock';
import { CohortsService } from '../cohorts/cohorts.service';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { NotFoundError } from '../common/domain-error';
import { HomeworkError } from './homework.errors';
import { StudentMessages } from '../messages/student-messages';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { LessonSpec } from '../funnels/funnel-content';
import { OutboxService } from '../outbox/outbox.service';
import { GradeHomeworkDto, HomeworkQueueQuery, ReviewGradeDto, SubmitHomeworkDto } from './dto/homework.dto';
import { Grader, gradingStep, mayReview } from './grading.rules';
import { GradeRecord, HomeworkRepository, ReviewRecord, SubmissionRecord, submissionId } from './homework.repository';
import { autoCheckFlags, gradedCriteria, gradeTotal, homeworkDueAt, lateness } from './homework.rules';
import { HomeworkSpec } from '../funnels/homework-spec';

/** A submission as its student sees it: no grade that is still waiting for review. */
export type StudentSubmission = Omit<SubmissionRecord, 'pendingGrade' | 'lastReview' | 'gradeVersion'>;

/** What the lesson page shows about a lesson's homework. */
export interface HomeworkView {
  spec: HomeworkSpec;
  dueAt: Date;
  submission: StudentSubmission | null;
}

/** A grade version with the review decision on it, if any. */
export type GradeHistoryEntry = GradeRecord & { review: Omit<ReviewRecord, 'submissionId' | 'version'> | null };

function forStudent(submission: SubmissionRecord): StudentSubmission {
  // `in_review` tells the student their work is being graded; the grade itself waits for the reviewer.
  const { pendingGrade: _pending, lastReview: _review, gradeVersion: _version, ...shown } = submission;
  return shown;
}

@Injectable()
export class HomeworkService implements OnModuleInit {
  constructor(
    private readonly homework: HomeworkRepository,
    private readonly studentLessons: StudentLessons,
    private readonly messages: StudentMessages,
    private readonly outbox: OutboxService,
    private readonly cohorts: CohortsService,
    private readonly scopes: OrganizationScopes,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scopes.register('homework', async (id) => {
      const submission = await this.homework.find(id);
      return submission ? (await this.cohorts.find(submission.cohortId, ALL_ORGANIZATIONS)).organizationId : undefined;
    });
  }

  /** The homework of a lesson for this student, or null when the lesson sets none. */
  async viewFor(course: StudentCourse, lessonKey: string): Promise<HomeworkView | null> {
    const lesson = course.lessons.find((l) => l.spec.key === lessonKey);
    if (!lesson?.spec.homework) return null;
    const submission = await this.homework.find(submissionId(course.enrollment.id, lessonKey));
    return {
      spec: lesson.spec.homework,
      dueAt: homeworkDueAt(lesson.startsAt, lesson.spec.homework),
      submission: submission && forStudent(submission),
    };
  }

  /** Hands homework in, or replaces an ungraded submission when the spec allows it. */
  async submit(course: StudentCourse, lessonKey: string, dto: SubmitHomeworkDto): Promise<StudentSubmission> {
    const lesson = this.studentLessons.releasedLesson(course, lessonKey);
    const spec = lesson.spec.homework;
    if (!spec) throw new NotFoundError('homework', lessonKey);
    const now = this.clock.now();
    const dueAt = homeworkDueAt(lesson.startsAt, spec);
    const late = lateness(now, dueAt, spec.latePolicy);
    if (!late.accepted) {
      throw new HomeworkError(
        late.reason === 'past_due' ? 'homework_past_due' : 'homework_past_cutoff',
        late.reason === 'past_due'
          ? `This homework was due ${dueAt.toISOString()} and late work is not accepted`
          : `This homework was due ${dueAt.toISOString()}; the last day for late work has passed`,
      );
    }
    const existing = await this.homework.find(submissionId(course.enrollment.id, lessonKey));
    if (existing && existing.status !== 'submitted') {
      throw new HomeworkError('homework_graded', 'This homework has been graded and cannot be changed');
    }
    if (existing && !spec.resubmitBeforeGrading) {
      throw new HomeworkError('homework_submitted', 'This homework has already been handed in');
    }
    const text = dto.text.trim();
    const saved = await this.homework.save({
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
    return forStudent(saved);
  }

  async queue(query: HomeworkQueueQuery, tenancy: Tenancy): Promise<CursorPage<SubmissionRecord>> {
    await this.cohorts.narrowTo(query.cohortId, tenancy);
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

  /** A submission; one of a cohort outside the tenancy does not exist for the caller. */
  async get(id: string, tenancy: Tenancy): Promise<SubmissionRecord> {
    const submission = await this.homework.find(id);
    if (!submission || !(await this.cohorts.within(submission.cohortId, tenancy))) {
      throw new NotFoundError('homework', id);
    }
    return submission;
  }

  /** Every grade given, oldest first, each with the review decision on it. */
  async history(id: string, tenancy: Tenancy): Promise<GradeHistoryEntry[]> {
    await this.get(id, tenancy);
    const [grades, reviews] = await Promise.all([this.homework.gradeHistory(id), this.homework.reviewsOf(id)]);
    const byVersion = new Map(reviews.map(({ submissionId: _id, version, ...review }) => [version, review]));
    return grades.map((grade) => ({ ...grade, review: byVersion.get(grade.version) ?? null }));
  }

  /**
   * Scores every rubric criterion; the server computes the total and the late penalty. Regrading
   * adds a version. Two graders at once: the first wins, the other gets a conflict. Where the
   * lesson's assignment asks for review, an assistant's grade waits for a reviewer.
   */
  async grade(id: string, dto: GradeHomeworkDto, grader: Grader, tenancy: Tenancy): Promise<SubmissionRecord> {
    const submission = await this.get(id, tenancy);
    const step = gradingStep(await this.homework.assignment(submission.cohortId, submission.lessonKey), grader);
    if (!step.allowed) throw new HomeworkError('not_assigned', step.reason);
    const course = await this.studentLessons.courseOf(submission.cohortId, submission.enrollmentId, tenancy);
    const lesson = course.lessons.find((l) => l.spec.key === submission.lessonKey)?.spec;
    if (!lesson?.homework) throw new NotFoundError('homework', id);
    const expected = dto.expectedVersion ?? submission.gradeVersion;
    if (expected !== submission.gradeVersion) throw this.conflict();
    const total = gradeTotal(lesson.homework, dto.scores, submission.penaltyPercent);
    const version = expected + 1;
    const added = await this.homework.addGrade({
      submissionId: id,
      version,
      revision: submission.revision,
      scores: dto.scores.map((s) => ({ key: s.key, score: s.score, feedback: s.feedback?.trim() ?? '' })),
      feedback: dto.feedback?.trim() ?? '',
      ...total,
      gradedBy: grader.tokenId,
      gradedAt: this.clock.now(),
      needsReview: step.needsReview,
    });
    if (!added) throw this.conflict();
    const graded = await this.get(id, tenancy);
    if (!step.needsReview) await this.outbox.enqueue([this.gradedMessage(course, lesson, graded, version)]);
    return graded;
  }

  /**
   * A reviewer approves the grade waiting for review (the student is told) or returns it to the
   * graders with a note (the student is not). Two reviewers at once: one wins, the other gets 409.
   */
  async review(id: string, dto: ReviewGradeDto, reviewer: Grader, tenancy: Tenancy): Promise<SubmissionRecord> {
    const submission = await this.get(id, tenancy);
    const pending = submission.pendingGrade;
    if (!pending || pending.version !== dto.version) {
      throw new HomeworkError(
        'nothing_to_review',
        pending
          ? `Grade version ${pending.version} is waiting for review, not ${dto.version}`
          : 'No grade of this submission is waiting for review',
      );
    }
    if (!mayReview(await this.homework.assignment(submission.cohortId, submission.lessonKey), reviewer)) {
      throw new HomeworkError('not_reviewer', `Only the reviewers of lesson ${submission.lessonKey} may review`);
    }
    const decided = await this.homework.addReview(
      {
        submissionId: id,
        version: dto.version,
        decision: dto.decision,
        note: dto.note?.trim() ?? '',
        reviewedBy: reviewer.tokenId,
        reviewedAt: this.clock.now(),
      },
      pending,
      submission.grade !== null,
    );
    if (!decided) throw this.conflict();
    const reviewed = await this.get(id, tenancy);
    if (dto.decision === 'approved') {
      const course = await this.studentLessons.courseOf(submission.cohortId, submission.enrollmentId, tenancy);
      const lesson = course.lessons.find((l) => l.spec.key === submission.lessonKey)?.spec;
      if (lesson?.homework) await this.outbox.enqueue([this.gradedMessage(course, lesson, reviewed, dto.version)]);
    }
    return reviewed;
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
    return new HomeworkError(
      'grading_conflict',
      'Someone else graded this submission meanwhile; reload it and grade again if needed',
    );
  }

  studentsWhoSubmitted(cohortId: string): Promise<number> {
    return this.homework.studentsWhoSubmitted(cohortId);
  }

  /** Homework passed by one student (for completion). */
  async passedCount(enrollmentId: string): Promise<number> {
    const all = await this.homework.forEnrollment(enrollmentId);
    return [...all.values()].filter((s) => s.grade?.passed).length;
  }
}
