import { Get, Header, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { ObjectIdParam } from '../common/object-id.param';
import { PageController } from '../pages/page-controller.decorator';
import { PAGE_TEXT } from '../pages/page-text';
import { PageRenderer } from '../pages/page.renderer';
import { EnrollmentsService } from './enrollments.service';

/** Keeps the link token on the form's action, so the POST is authorised like the GET. */
const selfUrl = (request: Request) => request.originalUrl;

const readerLocale = (request: Request): Locale =>
  request.acceptsLanguages([...SUPPORTED_LOCALES]) === 'en' ? 'en' : 'zh-CN';

/**
 * The pages behind the links in emails. A GET only shows a page with a button; the change happens
 * on POST, because mail scanners open (GET) links before people do.
 */
@PageController('')
export class StudentPagesController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly pages: PageRenderer,
  ) {}

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
    const { enrollment, cohort, schedule } = await this.enrollments.confirm(id, student.studentId);
    const text = PAGE_TEXT[enrollment.locale];
    return this.pages.message(enrollment.locale, {
      title: text.confirmedTitle,
      paragraphs: [text.confirmedBody(cohort.name)],
      schedule: schedule.lessons,
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
