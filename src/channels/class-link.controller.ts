import { Get, Header, Inject, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { PublicRoute } from '../auth/access.decorators';
import { CohortsService } from '../cohorts/cohorts.service';
import { NotFoundError } from '../common/domain-error';
import { Locale } from '../common/locale';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { isFreeLesson } from '../funnels/funnel-content';
import { lessonSummary } from '../funnels/lesson-body';
import { CohortLessonParams } from '../homework/dto/homework.dto';
import { PageController } from '../pages/page-controller.decorator';
import { readerLocale } from '../pages/page-text';
import { PageRenderer } from '../pages/page.renderer';
import { formatLocal } from '../schedule/schedule.rules';

const TEXT: Record<
  Locale,
  {
    title: (n: number, title: string) => string;
    starts: (local: string) => string;
    ownLink: string;
    join: (cohort: string) => string;
  }
> = {
  'zh-CN': {
    title: (n, title) => `第 ${n} 课《${title}》`,
    starts: (local) => `上课时间：${local}`,
    ownLink: '打卡、记笔记、交作业，请打开我们发到您邮箱的本课专属链接。',
    join: (cohort) => `还没报名？报名「${cohort}」`,
  },
  en: {
    title: (n, title) => `Class ${n}: ${title}`,
    starts: (local) => `Starts ${local}`,
    ownLink:
      'To check in, share your notes and hand in homework, open your own link to this class in the email we sent you.',
    join: (cohort) => `Not signed up yet? Join ${cohort}`,
  },
};

/**
 * The class link a group chat gets: the same for everyone, so it carries no student's token and
 * shows nothing of anyone. It says what the class is and when, and points each student to their
 * own link in their mail (or to the sign-up form while the cohort takes sign-ups).
 */
@PageController('')
export class ClassLinkController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly pages: PageRenderer,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  @Get('c/:id/:lessonKey')
  @PublicRoute()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async classPage(@Param() { id, lessonKey }: CohortLessonParams, @Req() request: Request): Promise<string> {
    const cohort = await this.cohorts.find(id, ALL_ORGANIZATIONS);
    const free = cohort.lessons.filter(isFreeLesson);
    const index = free.findIndex((l) => l.key === lessonKey);
    if (index < 0) throw new NotFoundError('lesson', lessonKey);
    const spec = (await this.cohorts.pinnedVersion(cohort)).lessons.find((l) => l.key === lessonKey);
    const locale = readerLocale(request);
    const text = TEXT[locale];
    const summary = spec ? lessonSummary(spec.body, 300) : '';
    const takesSignUps = cohort.status === 'open' || (cohort.status === 'running' && cohort.evergreen);
    return this.pages.message(locale, {
      title: text.title(index + 1, free[index].title),
      paragraphs: [
        cohort.name,
        text.starts(formatLocal(free[index].releaseAt, cohort.timezone, locale)),
        ...(summary ? [summary] : []),
        text.ownLink,
      ],
      ...(takesSignUps
        ? { link: { href: `${this.options.publicBaseUrl}/join/${cohort.id}`, label: text.join(cohort.name) } }
        : {}),
    });
  }
}
