import { Body, Get, HttpCode, HttpStatus, Ip, Param, Post, Query } from '@nestjs/common';
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
  ) {}

  @Post('cohorts/:id/enrollments')
  @PublicRoute()
  @HttpCode(HttpStatus.ACCEPTED)
  async enroll(@Param() { id }: ObjectIdParam, @Body() dto: EnrollDto, @Ip() ip: string): Promise<EnrollmentAccepted> {
    await this.enrollments.enroll(id, dto, ip);
    return { accepted: true, message: 'Check your inbox to confirm your place.' };
  }

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
