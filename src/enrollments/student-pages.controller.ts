import { shareText } from '../common/student-share';
import { Body, Get, Header, HttpCode, HttpStatus, Ip, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentStudent, PublicRoute, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { CohortsService } from '../cohorts/cohorts.service';
import { ObjectIdParam } from '../common/object-id.param';
import { PageController } from '../pages/page-controller.decorator';
import { PAGE_TEXT, readerLocale } from '../pages/page-text';
import { PageRenderer } from '../pages/page.renderer';
import { AttributionOutcome } from '../referrals/referrals.service';
import { EnrollDto, JoinPageQuery } from './dto/enroll.dto';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentConfirmations } from './enrollment-confirmations.service';
import { ALL_ORGANIZATIONS } from '../common/tenancy';

/** Keeps the link token on the form's action, so the POST is authorised like the GET. */
const selfUrl = (request: Request) => request.originalUrl;

/** What the confirmation page says about the referral code the student signed up with. */
function referralLine(outcome: AttributionOutcome | null, text: (typeof PAGE_TEXT)[keyof typeof PAGE_TEXT]) {
  if (!outcome) return [];
  return outcome.status === 'attributed'
    ? [text.referralApplied]
    : [text.referralRefused(text.referralReasons[outcome.reason])];
}

/**
 * The pages behind the links in emails. A GET only shows a page with a button; the change happens
 * on POST, because mail scanners open (GET) links before people do.
 */
@PageController('')
export class StudentPagesController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly confirmations: EnrollmentConfirmations,
    private readonly cohorts: CohortsService,
    private readonly pages: PageRenderer,
  ) {}

  /** The public sign-up form (where shared referral links lead), with the code carried along. */
  @Get('join/:id')
  @PublicRoute()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async joinPage(
    @Param() { id }: ObjectIdParam,
    @Query() { ref }: JoinPageQuery,
    @Req() request: Request,
  ): Promise<string> {
    const cohort = await this.cohorts.find(id, ALL_ORGANIZATIONS);
    const locale = readerLocale(request);
    const text = PAGE_TEXT[locale];
    return this.pages.join(locale, {
      title: text.joinTitle(cohort.name),
      body: text.joinBody,
      action: `../join/${id}`,
      nameLabel: text.nameLabel,
      emailLabel: text.emailLabel,
      button: text.joinButton,
      referralCode: ref ?? null,
      referredBy: ref ? text.referredBy(ref) : '',
    });
  }

  /** The form's sign-up: the same answer for a new and a repeated one, as the API gives. */
  @Post('join/:id')
  @PublicRoute()
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async join(
    @Param() { id }: ObjectIdParam,
    @Body() dto: EnrollDto,
    @Ip() ip: string,
    @Req() request: Request,
  ): Promise<string> {
    const locale = dto.locale ?? readerLocale(request);
    await this.enrollments.enroll(id, { ...dto, locale }, ip);
    const text = PAGE_TEXT[locale];
    return this.pages.message(locale, { title: text.joinedTitle, paragraphs: [text.joinedBody] });
  }

  @Get('e/:id/confirm')
  @StudentLink('confirm')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async confirmPage(
    @Param() { id }: ObjectIdParam,
    @CurrentStudent() student: StudentPrincipal,
    @Req() request: Request,
  ): Promise<string> {
    const enrollment = await this.enrollments.ownEnrollment(id, student.studentId);
    const text = PAGE_TEXT[enrollment.locale];
    return this.pages.action(enrollment.locale, {
      title: text.confirmTitle,
      paragraphs: [text.confirmBody(enrollment.cohortName)],
      action: selfUrl(request),
      button: text.confirmButton,
    });
  }

  @Post('e/:id/confirm')
  @StudentLink('confirm')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async confirm(@Param() { id }: ObjectIdParam, @CurrentStudent() student: StudentPrincipal): Promise<string> {
    const { enrollment, cohort, schedule, referral, share } = await this.confirmations.confirm(id, student.studentId);
    const text = PAGE_TEXT[enrollment.locale];
    return this.pages.message(enrollment.locale, {
      title: text.confirmedTitle,
      paragraphs: [text.confirmedBody(cohort.name), ...referralLine(referral, text)],
      schedule: schedule.lessons,
      share: shareText(share, enrollment.locale),
    });
  }

  @Get('u')
  @StudentLink('unsubscribe')
  @Header('Content-Type', 'text/html; charset=utf-8')
  unsubscribePage(@Req() request: Request): string {
    const locale = readerLocale(request);
    const text = PAGE_TEXT[locale];
    return this.pages.action(locale, {
      title: text.unsubscribeTitle,
      paragraphs: [text.unsubscribeBody],
      action: selfUrl(request),
      button: text.unsubscribeButton,
    });
  }

  /** Also the RFC 8058 one-click target (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`). */
  @Post('u')
  @StudentLink('unsubscribe')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async unsubscribe(@CurrentStudent() student: StudentPrincipal, @Req() request: Request): Promise<string> {
    await this.enrollments.unsubscribe(student.studentId);
    const locale = readerLocale(request);
    const text = PAGE_TEXT[locale];
    return this.pages.message(locale, { title: text.unsubscribedTitle, paragraphs: [text.unsubscribedBody] });
  }
}
