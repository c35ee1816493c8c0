import { Body, Get, HttpCode, HttpStatus, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CurrentStudent, PublicRoute, Staff, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { EnrollDto } from './dto/enroll.dto';
import { ListEnrollmentsQuery } from './dto/list-enrollments.query';
import { EnrollmentPage, EnrollmentsService } from './enrollments.service';
import { EnrollmentRecord } from './enrollments.repository';
import { EnrollmentConfirmations } from './enrollment-confirmations.service';
import { ApiBodyExample } from '../http/api-body-example.decorator';
import { ImportEnrollmentsDto } from './dto/import-enrollments.dto';
import { EnrollmentImportService, ImportResult } from './enrollment-import.service';

/** What the public sign-up answers: the same for a new and a repeated sign-up, leaking nothing. */
export interface EnrollmentAccepted {
  accepted: true;
  message: string;
}

@ApiController('api', 'enrollments')
export class EnrollmentsController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly confirmations: EnrollmentConfirmations,
    private readonly imports: EnrollmentImportService,
  ) {}

  @ApiOperation({
    summary: 'Sign up for a cohort',
    description:
      'The public sign-up form. Always 202 with the same answer (it tells nobody who is enrolled); the student gets a mail with a signed link to confirm their place (double opt-in). Idempotent per cohort and email; a `referralCode` credits whoever shared the link.',
  })
  @Post('cohorts/:id/enrollments')
  @PublicRoute()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBodyExample(EnrollDto, 'A sign-up through a friend’s share link', {
    email: 'wang.fang@example.com',
    name: '王芳',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    referralCode: 'K7Q2XWAB',
  })
  async enroll(@Param() { id }: ObjectIdParam, @Body() dto: EnrollDto, @Ip() ip: string): Promise<EnrollmentAccepted> {
    await this.enrollments.enroll(id, dto, ip);
    return { accepted: true, message: 'Check your inbox to confirm your place.' };
  }

  @ApiOperation({
    summary: "A cohort's enrolments",
    description:
      'In seat order, a page at a time (`limit`, `afterSeat`), with each status (pending, confirmed, unsubscribed).',
  })
  @Get('cohorts/:id/enrollments')
  @Staff('instructor', 'partner')
  @ScopedBy('cohort')
  list(
    @Param() { id }: ObjectIdParam,
    @Query() query: ListEnrollmentsQuery,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<EnrollmentPage> {
    return this.enrollments.list(id, tenancy, query.limit, query.afterSeat);
  }

  @ApiOperation({
    summary: 'Import students from CSV',
    description:
      "Enrols each row of a CSV file (header: name/姓名, email/邮箱, optional locale/语言 and timezone/时区) as the public sign-up would: the same validation and field messages, idempotent per inbox, never over capacity, seats in file order. Answers 200 with each row's outcome by file line: `new`, `existing` (already enrolled), `invalid` (with the field errors), `duplicate` (an earlier row has the address) or `cohort_full`, and their counts. `dryRun` writes nothing and predicts the outcomes from the seats taken now; `confirmed` confirms the places at once, for students who already agreed. A file that cannot be read as a whole (no name or email column, over 2,000 rows or 1 MB) is a 400 naming `csv`; a cohort not taking sign-ups is a 422.",
  })
  @Post('cohorts/:id/enrollments/import')
  @Staff('instructor', 'partner')
  @ScopedBy('cohort')
  @HttpCode(HttpStatus.OK)
  @ApiBodyExample(ImportEnrollmentsDto, 'A dry run of two students', {
    csv: 'name,email,locale,timezone\n王芳,wang.fang@example.com,zh-CN,Asia/Shanghai\nEmma Clark,emma.clark@example.com,en,Europe/London\n',
    dryRun: true,
  })
  import(
    @Param() { id }: ObjectIdParam,
    @Body() dto: ImportEnrollmentsDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<ImportResult> {
    return this.imports.import(id, dto, tenancy);
  }

  @ApiOperation({
    summary: 'Confirm a place',
    description:
      'The student confirms through the signed link of their confirmation mail; the welcome with the schedule (and .ics) follows. Confirming again changes nothing.',
  })
  @Post('enrollments/:id/confirm')
  @StudentLink('confirm')
  @HttpCode(HttpStatus.OK)
  async confirm(
    @Param() { id }: ObjectIdParam,
    @CurrentStudent() student: StudentPrincipal,
  ): Promise<EnrollmentRecord> {
    return (await this.confirmations.confirm(id, student.studentId)).enrollment;
  }
}
