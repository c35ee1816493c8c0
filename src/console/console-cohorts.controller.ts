import {
  Body,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { AttendanceReports } from '../attendance/attendance-reports.service';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { FunnelReportService } from '../analytics/funnel-report.service';
import { Clock } from '../common/clock';
import { ObjectIdParam } from '../common/object-id.param';
import { validateDto } from '../common/validation';
import { COHORT_STATUSES } from '../cohorts/cohort.rules';
import { CohortsService } from '../cohorts/cohorts.service';
import { CreateCohortDto, RescheduleCohortDto } from '../cohorts/dto/create-cohort.dto';
import { ENROLLMENT_STATUSES, EnrollmentStatus } from '../enrollments/enrollment.schema';
import { EnrollmentImportService } from '../enrollments/enrollment-import.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { FunnelsService } from '../funnels/funnels.service';
import { csvDownload } from '../http/csv-download';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import {
  COHORT_FIELDS,
  cohortInputOf,
  errorsByField,
  instantInZone,
  localInputOf,
  objectIdOf,
  oneOf,
  PostedForm,
  textOf,
} from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';
import { funnelChartSvg } from './funnel-chart';

/** Students per page of the enrolment list and the attendance heatmap. */
const PAGE = 50;
/** The largest CSV a browser may upload (the API route takes the same). */
const MAX_CSV_BYTES = 1_000_000;

const afterSeatOf = (value: unknown): number =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : 0;

/**
 * Cohorts in the console: the list, a new cohort, and a cohort's own page, where staff run it
 * (open, reschedule, cancel), see who enrolled and came, import students and watch the funnel.
 */
@ConsoleController('console/cohorts')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('cohort')
export class ConsoleCohortsController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly enrollments: EnrollmentsService,
    private readonly imports: EnrollmentImportService,
    private readonly attendance: AttendanceReports,
    private readonly reports: FunnelReportService,
    private readonly renderer: ConsoleRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ScopedByCaller()
  async list(
    @Query('status') status: unknown,
    @Query('after') after: unknown,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    const chosen = oneOf(COHORT_STATUSES, status);
    const page = await this.cohorts.list(
      {
        limit: PAGE,
        ...(chosen ? { status: chosen } : {}),
        after: objectIdOf(after),
      },
      tenancyOf(frame.staff!),
    );
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'cohorts', text.cohorts.title, 'cohorts', {
      cohorts: page.items.map((c) => ({ ...c, local: formatLocal(c.startAt, c.timezone, frame.locale) })),
      statuses: COHORT_STATUSES.map((s) => ({ value: s, label: text.statuses[s] })),
      status: chosen ?? '',
      next: page.next
        ? `?${new URLSearchParams({ ...(chosen ? { status: chosen } : {}), after: page.next }).toString()}`
        : null,
    });
  }

  @Get('new')
  @ScopedByCaller()
  async newCohort(@Frame() frame: ConsoleFrame): Promise<string> {
    return this.cohortForm(frame, { timezone: 'Asia/Shanghai', capacity: '200', releaseClock: 'cohort' }, {});
  }

  @Post()
  @ScopedByCaller()
  async create(@Body() form: PostedForm, @Res() res: Response, @Frame() frame: ConsoleFrame): Promise<void> {
    const checked = await validateDto(CreateCohortDto, cohortInputOf(form));
    if (!checked.ok) {
      const values = Object.fromEntries(COHORT_FIELDS.map((f) => [f, textOf(form, f)]));
      res
        .status(HttpStatus.BAD_REQUEST)
        .send(await this.cohortForm(frame, values, errorsByField(checked.fields, COHORT_FIELDS)));
      return;
    }
    const staff = frame.staff!;
    const cohort = await this.cohorts.create(checked.value, staff.tokenId, tenancyOf(staff));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/cohorts/${cohort.id}`);
  }

  @Get(':id')
  async show(
    @Param() { id }: ObjectIdParam,
    @Query() query: Record<string, unknown>,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    return this.cohortPage(frame, id, query, {});
  }

  @Post(':id/open')
  async open(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    await this.cohorts.open(id, textOf(form, 'catchUp') === 'on', tenancyOf(frame.staff!));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/cohorts/${id}`);
  }

  @Post(':id/reschedule')
  async reschedule(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    const tenancy = tenancyOf(frame.staff!);
    const cohort = await this.cohorts.get(id, tenancy);
    const checked = await validateDto(RescheduleCohortDto, {
      startAt: instantInZone(textOf(form, 'startAt'), cohort.timezone),
      ...(textOf(form, 'catchUp') === 'on' ? { catchUp: true } : {}),
    });
    if (!checked.ok) {
      const errors = errorsByField(checked.fields, ['startAt', 'catchUp']);
      res
        .status(HttpStatus.BAD_REQUEST)
        .send(
          await this.cohortPage(frame, id, {}, { rescheduleErrors: errors, rescheduleValue: textOf(form, 'startAt') }),
        );
      return;
    }
    await this.cohorts.reschedule(id, checked.value.startAt, checked.value.catchUp ?? false, tenancy);
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/cohorts/${id}`);
  }

  /** Cancelling cannot be undone, so it asks first, on a page of its own (works without script). */
  @Get(':id/cancel')
  async confirmCancel(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): Promise<string> {
    const cohort = await this.cohorts.get(id, tenancyOf(frame.staff!));
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'cohorts', text.cohort.cancelTitle(cohort.name), 'cohort-cancel', { cohort });
  }

  @Post(':id/cancel')
  async cancel(@Param() { id }: ObjectIdParam, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    await this.cohorts.cancel(id, tenancyOf(frame.staff!));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/cohorts/${id}`);
  }

  /**
   * The CSV import: a file or pasted text; a dry run shows each row's outcome before anything is
   * written, then one click imports the valid rows. A multipart body is read after the guards, so
   * this form's CSRF token rides in its action URL.
   */
  @Post(':id/import')
  @HttpCode(HttpStatus.OK)
  // Multer keeps the file in memory when no storage is named (it is at most MAX_CSV_BYTES).
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_CSV_BYTES, files: 1 } }))
  async import(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @UploadedFile() file: { buffer: Buffer; size: number } | undefined,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    const csv = file && file.size > 0 ? file.buffer.toString('utf8') : textOf(form, 'csv');
    const dryRun = textOf(form, 'dryRun') === 'on';
    const confirmed = textOf(form, 'confirmed') === 'on';
    const tenancy = tenancyOf(frame.staff!);
    const [cohort, result] = await Promise.all([
      this.cohorts.get(id, tenancy),
      this.imports.import(id, { csv, dryRun, confirmed }, tenancy),
    ]);
    const text = this.renderer.text(frame.locale);
    const importable = result.counts.new + result.counts.existing;
    return this.renderer.page(frame, 'cohorts', text.cohort.importResult(dryRun), 'cohort-import', {
      cohort,
      result,
      csv,
      confirmed,
      refused: result.counts.invalid + result.counts.duplicate + result.counts.cohort_full,
      importable: dryRun && result.counts.new > 0 ? importable : 0,
    });
  }

  @Get(':id/enrollments.csv')
  enrollmentsCsv(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): StreamableFile {
    return csvDownload(`enrollments-${id}.csv`, this.enrollments.csv(id, tenancyOf(frame.staff!)));
  }

  @Get(':id/attendance.csv')
  attendanceCsv(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): StreamableFile {
    return csvDownload(`attendance-${id}.csv`, this.attendance.csv(id, tenancyOf(frame.staff!)));
  }

  private async cohortForm(frame: ConsoleFrame, values: Record<string, string>, errors: Record<string, string[]>) {
    const text = this.renderer.text(frame.locale);
    const funnels = await this.funnels.list(tenancyOf(frame.staff!));
    return this.renderer.page(frame, 'cohorts', text.cohortForm.title, 'cohort-new', {
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      funnels: funnels.map((f) => ({ value: f.id, label: `${f.name} (v${f.latestVersion})` })),
      clocks: (['cohort', 'student'] as const).map((c) => ({ value: c, label: text.cohortForm.releaseClocks[c] })),
    });
  }

  private async cohortPage(
    frame: ConsoleFrame,
    id: string,
    query: Record<string, unknown>,
    extra: object,
  ): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const text = this.renderer.text(frame.locale);
    const status: EnrollmentStatus | undefined = oneOf(ENROLLMENT_STATUSES, query['status']);
    const search = typeof query['q'] === 'string' ? query['q'].trim().slice(0, 100) : '';
    const afterSeat = afterSeatOf(query['afterSeat']);
    const [cohort, report, leaders, enrolments, matrix] = await Promise.all([
      this.cohorts.get(id, tenancy),
      this.reports.report(id, tenancy),
      this.reports.leaderboard(id, tenancy),
      this.enrollments.browse(id, tenancy, { limit: PAGE, afterSeat, search, ...(status ? { status } : {}) }),
      this.attendance.matrixPage(id, tenancy, PAGE, afterSeatOf(query['heatAfter'])),
    ]);
    const now = this.clock.now();
    const titles = new Map(cohort.lessons.map((l) => [l.key, l.title]));
    const steps = report.steps.map((step) => {
      const attended = /^attended:(.+)$/.exec(step.step)?.[1];
      const label = attended
        ? text.cohort.steps.attended(titles.get(attended) ?? attended)
        : (text.cohort.steps[step.step as Exclude<keyof typeof text.cohort.steps, 'attended'>] ?? step.step);
      return { ...step, label };
    });
    const keep = (extraParams: Record<string, string>) =>
      `?${new URLSearchParams({ ...(search ? { q: search } : {}), ...(status ? { status } : {}), ...extraParams }).toString()}#enrolments`;
    return this.renderer.page(frame, 'cohorts', cohort.name, 'cohort', {
      cohort,
      startLocal: formatLocal(cohort.startAt, cohort.timezone, frame.locale),
      startInput: localInputOf(cohort.startAt, cohort.timezone),
      perStudent: cohort.releaseClock === 'student',
      schedule: cohort.lessons.map((lesson) => ({
        ...lesson,
        local: formatLocal(lesson.releaseAt, cohort.timezone, frame.locale),
        past: lesson.releaseAt <= now,
      })),
      mayOpen: cohort.status === 'draft',
      mayReschedule: cohort.status === 'draft' || cohort.status === 'open' || cohort.status === 'running',
      mayCancel: cohort.status !== 'cancelled' && cohort.status !== 'completed',
      takesSignUps: cohort.status === 'open' || cohort.status === 'running',
      chart: funnelChartSvg(steps, `${text.cohort.funnel}: ${cohort.name}`),
      steps,
      referrals: report.referrals,
      leaders,
      enrolments: enrolments.items,
      enrolmentsNext: enrolments.next === null ? null : keep({ afterSeat: String(enrolments.next) }),
      search,
      status: status ?? '',
      statuses: ENROLLMENT_STATUSES.map((s) => ({ value: s, label: text.enrollmentStatuses[s] })),
      heat: {
        lessons: matrix.lessons.map((key) => ({ key, title: titles.get(key) ?? key })),
        rows: matrix.rows.map((row) => ({
          ...row,
          cells: matrix.lessons.map((key) => row.lessons[key] ?? 'upcoming'),
        })),
        next: matrix.next === null ? null : `?heatAfter=${matrix.next}#attendance`,
      },
      importAction: `${frame.root}/cohorts/${cohort.id}/import?_csrf=${encodeURIComponent(frame.csrfToken ?? '')}`,
      ...extra,
    });
  }
}
