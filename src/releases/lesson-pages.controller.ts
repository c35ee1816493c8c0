import { Get, Header, Param } from '@nestjs/common';
import { IsMongoId, Matches } from 'class-validator';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { MessageRenderer } from '../messages/message.renderer';
import { PageController } from '../pages/page-controller.decorator';
import { PageRenderer } from '../pages/page.renderer';
import { ReleasesService } from './releases.service';

class LessonPageParams {
  @IsMongoId()
  id!: string;

  @Matches(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'lessonKey is not a lesson key' })
  lessonKey!: string;
}

/** The page a lesson email links to. (Check-in and homework join it with the attendance work.) */
@PageController('')
export class LessonPagesController {
  constructor(
    private readonly releases: ReleasesService,
    private readonly pages: PageRenderer,
    private readonly renderer: MessageRenderer,
  ) {}

  @Get('l/:id/:lessonKey')
  @StudentLink('lesson')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async lesson(@Param() { id, lessonKey }: LessonPageParams, @CurrentStudent() me: StudentPrincipal): Promise<string> {
    const { enrollment, cohort, lesson, student } = await this.releases.lessonFor(id, me.studentId, lessonKey);
    const { html } = this.renderer.renderLessonBody(lesson.body, student);
    return this.pages.lesson(enrollment.locale, { cohort: cohort.name, title: lesson.title, bodyHtml: html });
  }
}
