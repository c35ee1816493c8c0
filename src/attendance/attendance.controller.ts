import { Body, Get, Param, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { csvDownload } from '../http/csv-download';
import { ObjectIdParam } from '../common/object-id.param';
import { CohortEnrollmentLessonParams, CohortEnrollmentParams } from '../enrollments/dto/lesson.params';
import { AttendanceReports } from './attendance-reports.service';
import { AttendanceRow, ExcuseRecord, LessonAttendanceView, LessonRate } from './attendance.rules';
import { AttendanceService } from './attendance.service';
import { AttendanceMatrixQuery, DecideExcuseDto, MarkAttendanceDto } from './dto/attendance.dto';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** Attendance of a cohort for its instructors: marks, excuses and reports. */
@ApiController('api/cohorts', 'attendance')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class AttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly reports: AttendanceReports,
  ) {}

  @ApiOperation({
    summary: 'Attendance matrix (students x lessons)',
    description: 'The student x lesson matrix, a page of students at a time in seat order.',
  })
  @Get(':id/attendance')
  matrix(
    @Param() { id }: ObjectIdParam,
    @Query() query: AttendanceMatrixQuery,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<{ lessons: string[]; rows: AttendanceRow[]; next: number | null }> {
    return this.reports.matrixPage(id, tenancy, query.limit ?? 100, query.afterSeat ?? 0);
  }

  @ApiOperation({ summary: 'Attendance matrix as CSV', description: 'The whole matrix as CSV, streamed.' })
  @Get(':id/attendance.csv')
  csv(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): StreamableFile {
    return csvDownload(`attendance-${id}.csv`, this.reports.csv(id, tenancy));
  }

  @ApiOperation({
    summary: 'Attendance per lesson',
    description: 'Per lesson: present, late, absent, excused and the attendance rate.',
  })
  @Get(':id/attendance/lessons')
  lessons(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<LessonRate[]> {
    return this.reports.lessonRates(id, tenancy);
  }

  @ApiOperation({
    summary: "A student's attendance history",
    description: "One student's attendance history, lesson by lesson.",
  })
  @Get(':id/enrollments/:enrollmentId/attendance')
  history(
    @Param() { id, enrollmentId }: CohortEnrollmentParams,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<LessonAttendanceView[]> {
    return this.attendance.historyOf(id, enrollmentId, tenancy);
  }

  @ApiOperation({
    summary: 'Mark a student for a lesson',
    description: 'An instructor marks a student (a live class): this overrides what was recorded.',
  })
  @Put(':id/enrollments/:enrollmentId/attendance/:lessonKey')
  @ApiBodyExample(MarkAttendanceDto, 'Came to the live class late', { status: 'late' })
  mark(
    @Param() { id, enrollmentId, lessonKey }: CohortEnrollmentLessonParams,
    @Body() dto: MarkAttendanceDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LessonAttendanceView> {
    return this.attendance.mark(id, enrollmentId, lessonKey, dto.status, staff.tokenId, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Excuse requests waiting for a decision',
    description: 'Requests to be excused that wait for a decision.',
  })
  @Get(':id/excuses')
  excuses(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<ExcuseRecord[]> {
    return this.attendance.undecidedExcuses(id, tenancy);
  }

  @ApiOperation({
    summary: 'Grant or refuse an excuse',
    description:
      "Decides a student's request to be excused from a lesson; a granted excuse counts as excused in the matrix and in completion.",
  })
  @Put(':id/enrollments/:enrollmentId/excuse/:lessonKey')
  decide(
    @Param() { id, enrollmentId, lessonKey }: CohortEnrollmentLessonParams,
    @Body() dto: DecideExcuseDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ExcuseRecord> {
    return this.attendance.decideExcuse(id, enrollmentId, lessonKey, dto.decision, staff.tokenId, tenancyOf(staff));
  }
}
