import { Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ObjectIdParam } from '../common/object-id.param';
import { OutboxService } from '../outbox/outbox.service';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { objectIdOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/** The outbox, for instructors (as on the API): counts by status, dead letters, and a retry. */
@ConsoleController('console/outbox')
@ConsoleStaff('instructor')
export class ConsoleOutboxController {
  constructor(
    private readonly outbox: OutboxService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get()
  async show(@Query('after') after: unknown, @Frame() frame: ConsoleFrame): Promise<string> {
    const [counts, dead] = await Promise.all([
      this.outbox.counts({}),
      this.outbox.list({
        status: 'dead',
        limit: 50,
        after: objectIdOf(after),
      }),
    ]);
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'outbox', text.outbox.title, 'outbox', {
      totals: (['pending', 'sent', 'dead', 'cancelled'] as const).map((status) => ({
        status,
        label: text.outbox.statuses[status],
        count: counts.totals[status],
      })),
      dead: dead.items.map((m) => ({ ...m, created: formatLocal(m.createdAt, 'UTC', frame.locale) })),
      next: dead.next ? `?after=${dead.next}` : null,
    });
  }

  @Post(':id/retry')
  async retry(@Param() { id }: ObjectIdParam, @Res() res: Response, @Frame() frame: ConsoleFrame): Promise<void> {
    await this.outbox.retry(id);
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/outbox`);
  }
}
