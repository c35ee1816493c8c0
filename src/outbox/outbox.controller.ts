import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
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

  @ApiOperation({
    summary: 'List outgoing messages',
    description: 'Messages a page at a time, filtered by `status` (pending, sent, dead, cancelled) and `cohortId`.',
  })
  @Get()
  list(@Query() query: ListOutboxQuery): Promise<CursorPage<OutboxRecord>> {
    return this.outbox.list(query);
  }

  @ApiOperation({
    summary: 'Send progress counts',
    description: 'Status counts per cohort and kind, to watch a send; declared before `:id`.',
  })
  @Get('counts')
  counts(@Query() query: OutboxCountsQuery): Promise<OutboxCounts> {
    return this.outbox.counts(query);
  }

  @ApiOperation({ summary: 'Get a message', description: 'One outgoing message with its attempts and last error.' })
  @Get(':id')
  get(@Param() { id }: ObjectIdParam): Promise<OutboxRecord> {
    return this.outbox.get(id);
  }

  @ApiOperation({
    summary: 'Retry a dead message',
    description: 'Sends a dead-lettered message again (after fixing the template or the address).',
  })
  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  retry(@Param() { id }: ObjectIdParam): Promise<OutboxRecord> {
    return this.outbox.retry(id);
  }
}
