import { Get } from '@nestjs/common';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { Clock } from '../common/clock';
import { CohortsService } from '../cohorts/cohorts.service';
import { HomeworkService } from '../homework/homework.service';
import { OutboxService } from '../outbox/outbox.service';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/** How many of each list the home page shows; the lists themselves are a click away. */
const SHOWN = 10;
/** Counting the grading queue stops here ("50+"): the queue page has the rest. */
const COUNTED = 50;

/** Home: what needs a staff member's attention today. */
@ConsoleController('console')
@ConsoleStaff('instructor', 'partner')
@ScopedByCaller()
export class ConsoleHomeController {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly homework: HomeworkService,
    private readonly outbox: OutboxService,
    private readonly renderer: ConsoleRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  async home(@Frame() frame: ConsoleFrame): Promise<string> {
    const staff = frame.staff!;
    const tenancy = tenancyOf(staff);
    const now = this.clock.now();
    const [running, opening, outbox] = await Promise.all([
      this.cohorts.list({ status: 'running', limit: SHOWN }, tenancy),
      this.cohorts.list({ status: 'open', limit: SHOWN }, tenancy),
      // The outbox is instructors' and admins' (partners' mail goes through the same queue, unseen).
      staff.role === 'partner' ? null : this.outbox.counts({}),
    ]);
    // Partner staff name a cohort to read the queue (as on the API): theirs running and opening.
    const queueOf = async (status: 'submitted' | 'in_review') => {
      if (tenancy.kind === 'all') return this.homework.queue({ status, limit: COUNTED }, tenancy);
      const pages = await Promise.all(
        [...running.items, ...opening.items].map((c) =>
          this.homework.queue({ status, limit: COUNTED, cohortId: c.id }, tenancy),
        ),
      );
      return { items: pages.flatMap((p) => p.items), next: pages.some((p) => p.next) ? 'more' : null };
    };
    const [toGrade, toReview] = await Promise.all([queueOf('submitted'), queueOf('in_review')]);
    const releases = [...running.items, ...opening.items]
      .flatMap((cohort) =>
        cohort.lessons
          .filter((lesson) => lesson.releaseAt > now)
          .slice(0, 1)
          .map((lesson) => ({
            at: lesson.releaseAt,
            cohortId: cohort.id,
            cohortName: cohort.name,
            title: lesson.title,
            local: formatLocal(lesson.releaseAt, cohort.timezone, frame.locale),
            timezone: cohort.timezone,
            perStudent: cohort.releaseClock === 'student',
          })),
      )
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, SHOWN);
    const count = (page: { items: unknown[]; next: string | null }) =>
      page.next ? `${page.items.length}+` : String(page.items.length);
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'home', text.home.title, 'home', {
      running: running.items.map((c) => ({ ...c, local: formatLocal(c.startAt, c.timezone, frame.locale) })),
      opening: opening.items.map((c) => ({ ...c, local: formatLocal(c.startAt, c.timezone, frame.locale) })),
      releases,
      toGrade: count(toGrade),
      toReview: count(toReview),
      waiting: toGrade.items.length + toReview.items.length > 0,
      dead: outbox ? outbox.totals.dead : null,
    });
  }
}
