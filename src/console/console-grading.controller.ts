import { Body, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { validateDto } from '../common/validation';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { GradeHomeworkDto, HomeworkIdParam, ReviewGradeDto } from '../homework/dto/homework.dto';
import { SUBMISSION_STATUSES, SubmissionStatus } from '../homework/homework.schema';
import { HomeworkService } from '../homework/homework.service';
import { SubmissionRecord } from '../homework/homework.repository';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { errorsByField, integerOf, objectIdOf, oneOf, PostedForm, textOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

const PAGE = 50;

/** Homework in the console: the queue across cohorts, one submission with its rubric form, review. */
@ConsoleController('console/grading')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('homework')
export class ConsoleGradingController {
  constructor(
    private readonly homework: HomeworkService,
    private readonly cohorts: CohortsService,
    private readonly enrollments: EnrollmentsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  /** The queue; partner staff pick one of their cohorts first (as the API asks them to name it). */
  @Get()
  @ScopedByCaller()
  async queue(@Query() query: Record<string, unknown>, @Frame() frame: ConsoleFrame): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const status: SubmissionStatus = oneOf(SUBMISSION_STATUSES, query['status']) ?? 'submitted';
    const cohortId = objectIdOf(query['cohortId']);
    const after = typeof query['after'] === 'string' && query['after'].length <= 100 ? query['after'] : undefined;
    const cohorts = await this.cohorts.list({ limit: 200 }, tenancy);
    const mustPick = tenancy.kind === 'organization' && !cohortId;
    const page = mustPick
      ? { items: [] as SubmissionRecord[], next: null }
      : await this.homework.queue(
          { status, limit: PAGE, ...(cohortId ? { cohortId } : {}), ...(after ? { after } : {}) },
          tenancy,
        );
    const names = new Map(cohorts.items.map((c) => [c.id, c.name]));
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'grading', text.grading.title, 'grading', {
      status,
      cohortId: cohortId ?? '',
      mustPick,
      cohorts: cohorts.items.map((c) => ({ value: c.id, label: c.name })),
      statuses: SUBMISSION_STATUSES.map((s) => ({ value: s, label: text.grading.statuses[s] })),
      items: await Promise.all(
        page.items.map(async (s) => ({
          ...s,
          student: (await this.enrollments.find(s.enrollmentId)).name,
          cohortName: names.get(s.cohortId) ?? s.cohortId,
          submitted: formatLocal(s.submittedAt, 'UTC', frame.locale),
        })),
      ),
      next: page.next
        ? `?${new URLSearchParams({ status, ...(cohortId ? { cohortId } : {}), after: page.next }).toString()}`
        : null,
    });
  }

  @Get(':id')
  async show(@Param() { id }: HomeworkIdParam, @Frame() frame: ConsoleFrame): Promise<string> {
    return this.submissionPage(frame, id, {}, {});
  }

  @Post(':id/grade')
  async grade(
    @Param() { id }: HomeworkIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    const staff = frame.staff!;
    const keys = Object.keys(form)
      .map((name) => /^score\.(.+)$/.exec(name)?.[1])
      .filter((key): key is string => key !== undefined);
    const checked = await validateDto(GradeHomeworkDto, {
      scores: keys.map((key) => ({
        key,
        score: integerOf(textOf(form, `score.${key}`)) ?? '',
        ...(textOf(form, `feedback.${key}`) ? { feedback: textOf(form, `feedback.${key}`) } : {}),
      })),
      ...(textOf(form, 'feedback') ? { feedback: textOf(form, 'feedback') } : {}),
      ...(integerOf(textOf(form, 'expectedVersion')) !== undefined
        ? { expectedVersion: integerOf(textOf(form, 'expectedVersion')) }
        : {}),
    });
    if (!checked.ok) {
      const names = ['feedback', ...keys.flatMap((_, i) => [`scores.${i}`])];
      const byIndex = errorsByField(checked.fields, names);
      const errors = Object.fromEntries(
        Object.entries(byIndex).map(([field, messages]) => {
          const index = /^scores\.(\d+)$/.exec(field)?.[1];
          return [index !== undefined ? `score.${keys[Number(index)]}` : field, messages];
        }),
      );
      res.status(HttpStatus.BAD_REQUEST).send(await this.submissionPage(frame, id, errors, form));
      return;
    }
    await this.homework.grade(id, checked.value, staff, tenancyOf(staff));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/grading/${encodeURIComponent(id)}`);
  }

  @Post(':id/review')
  async review(
    @Param() { id }: HomeworkIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    const staff = frame.staff!;
    const checked = await validateDto(ReviewGradeDto, {
      version: integerOf(textOf(form, 'version')) ?? '',
      decision: textOf(form, 'decision'),
      ...(textOf(form, 'note') ? { note: textOf(form, 'note') } : {}),
    });
    if (!checked.ok) {
      res
        .status(HttpStatus.BAD_REQUEST)
        .send(await this.submissionPage(frame, id, errorsByField(checked.fields, ['note', 'decision']), form));
      return;
    }
    await this.homework.review(id, checked.value, staff, tenancyOf(staff));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/grading/${encodeURIComponent(id)}`);
  }

  private async submissionPage(frame: ConsoleFrame, id: string, errors: Record<string, string[]>, form: PostedForm) {
    const tenancy = tenancyOf(frame.staff!);
    const submission = await this.homework.get(id, tenancy);
    const cohort = await this.cohorts.find(submission.cohortId, tenancy);
    const [version, enrollment] = await Promise.all([
      this.cohorts.pinnedVersion(cohort),
      this.enrollments.find(submission.enrollmentId),
    ]);
    const lesson = version.lessons.find((l) => l.key === submission.lessonKey);
    const current = submission.pendingGrade ?? submission.grade;
    const given = new Map(current?.scores.map((s) => [s.key, s]) ?? []);
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(
      frame,
      'grading',
      `${lesson?.title ?? submission.lessonKey} · ${enrollment.name}`,
      'submission',
      {
        submission,
        cohort,
        lesson,
        student: enrollment.name,
        submitted: formatLocal(submission.submittedAt, cohort.timezone, frame.locale),
        rubric: (lesson?.homework?.rubric ?? []).map((criterion) => ({
          ...criterion,
          field: `score.${criterion.key}`,
          feedbackField: `feedback.${criterion.key}`,
          score: textOf(form, `score.${criterion.key}`) || String(given.get(criterion.key)?.score ?? ''),
          feedback: textOf(form, `feedback.${criterion.key}`) || (given.get(criterion.key)?.feedback ?? ''),
        })),
        overall: textOf(form, 'feedback') || (current?.feedback ?? ''),
        maxScore: lesson?.homework?.maxScore ?? 0,
        current,
        reviewable: submission.pendingGrade !== null,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        lateText: submission.daysLate > 0 ? text.grading.late(submission.daysLate) : null,
      },
    );
  }
}
