import { Body, Get, Header, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { EnrollmentLessonParams } from '../enrollments/dto/lesson.params';
import { PageController } from '../pages/page-controller.decorator';
import { LessonPagesService } from './lesson-pages.service';

class CheckInForm {
  @IsOptional()
  @MaxLength(5000)
  @IsString()
  notes?: string;

  /** The "share with my group" checkbox. */
  @IsOptional()
  @IsIn(['on'])
  share?: 'on';
}

/** The note shared with the group; its length rule is the service's (a 400 naming `text`). */
class SharedNoteForm {
  @MaxLength(5000)
  @IsString()
  text!: string;
}

class HomeworkForm {
  @Length(1, 20_000)
  @IsString()
  text!: string;

  /** One link per line. */
  @IsOptional()
  @MaxLength(5000)
  @IsString()
  links?: string;
}

/**
 * The page a lesson email links to: the class, check-in with notes, the homework form, the grade
 * and the student's progress. Plain HTML forms that post back and redirect (no client-side code).
 */
@PageController('')
export class LessonPagesController {
  constructor(private readonly pages: LessonPagesService) {}

  @Get('l/:id/:lessonKey')
  @StudentLink('lesson')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  lesson(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @CurrentStudent() me: StudentPrincipal,
    @Req() req: Request,
  ): Promise<string> {
    return this.pages.show(id, me.studentId, lessonKey, req.originalUrl.split('?')[1] ?? '');
  }

  @Post('l/:id/:lessonKey/check-in')
  @StudentLink('lesson')
  @HttpCode(HttpStatus.SEE_OTHER)
  async checkIn(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() form: CheckInForm,
    @CurrentStudent() me: StudentPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.checkIn(id, me.studentId, lessonKey, form.notes, form.share === 'on');
    res.redirect(HttpStatus.SEE_OTHER, backToPage(req, '/check-in'));
  }

  @Post('l/:id/:lessonKey/shared-note')
  @StudentLink('lesson')
  @HttpCode(HttpStatus.SEE_OTHER)
  async shareNote(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() form: SharedNoteForm,
    @CurrentStudent() me: StudentPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.shareNote(id, me.studentId, lessonKey, form.text);
    res.redirect(HttpStatus.SEE_OTHER, `${backToPage(req, '/shared-note')}#wall`);
  }

  @Post('l/:id/:lessonKey/shared-note/withdraw')
  @StudentLink('lesson')
  @HttpCode(HttpStatus.SEE_OTHER)
  async withdrawNote(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @CurrentStudent() me: StudentPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.withdrawNote(id, me.studentId, lessonKey);
    res.redirect(HttpStatus.SEE_OTHER, backToPage(req, '/shared-note/withdraw'));
  }

  @Post('l/:id/:lessonKey/homework')
  @StudentLink('lesson')
  @HttpCode(HttpStatus.SEE_OTHER)
  async homework(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() form: HomeworkForm,
    @CurrentStudent() me: StudentPrincipal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const links = (form.links ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    await this.pages.submitHomework(id, me.studentId, lessonKey, { text: form.text, links });
    res.redirect(HttpStatus.SEE_OTHER, backToPage(req, '/homework'));
  }
}

/** The lesson page's own URL (same prefix, same signed token) from a form action under it. */
function backToPage(req: Request, suffix: string): string {
  const [path = '', query] = req.originalUrl.split('?');
  return `${path.endsWith(suffix) ? path.slice(0, -suffix.length) : path}${query ? `?${query}` : ''}`;
}
