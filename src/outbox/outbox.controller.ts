import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { Staff } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { CursorPage } from '../common/cursor-page.query';
import { ObjectIdParam } from '../common/object-id.param';
import { ListOutboxQuery, OutboxCountsQuery } from './dto/list-outbox.query';
import { OutboxRecord } from './outbox.repository';
import { OutboxCounts } from './outbox.rules';
import { OutboxService } from './outbox.service';

/** Staff inspection of queued, sent and dead-lettered mail. */
@ApiController('api/outbox', 'outbox')
@Staff('instructor')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  list(@Query() query: ListOutboxQuery): Promise<CursorPage<OutboxRecord>> {
    return this.outbox.list(query);
  }

  /** Status counts per cohort and kind, to watch a send; declared before `:id`. */
  @Get('counts')
  counts(@Query() query: OutboxCountsQuery): Promise<OutboxCounts> {
    return this.outbox.counts(query);
  }

  @Get(':id')
  get(@Param() { id }: ObjectIdParam): Promise<OutboxRecord> {
    return this.outbox.get(id);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  retry(@Param() { id }: ObjectIdParam): Promise<OutboxRecord> {
    return this.outbox.retry(id);
  }
}
