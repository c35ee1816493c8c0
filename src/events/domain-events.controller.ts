import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Staff } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { EventKeyParam, ListEventsQuery } from './dto/list-events.query';
import { StoredEvent } from './domain-events.repository';
import { DomainEvents } from './domain-events.service';

/** Effects that are late or stuck: failed events stay here until an admin retries them. */
@ApiController('api/events', 'events')
@Staff('admin')
export class DomainEventsController {
  constructor(private readonly events: DomainEvents) {}

  @ApiOperation({
    summary: 'List domain events',
    description:
      'Durable events (an order paid, a referral qualified, ...) with the state of their deliveries to each handler; filter by `state` to find the failed ones.',
  })
  @Get()
  list(@Query() query: ListEventsQuery): Promise<{ counts: Record<string, number>; items: StoredEvent[] }> {
    return this.events.overview(query.state ?? 'failed', query.limit ?? 50);
  }

  @ApiOperation({
    summary: 'Retry a failed event',
    description: 'Another round of deliveries for a failed event, now.',
  })
  @Post(':key/retry')
  @HttpCode(HttpStatus.OK)
  retry(@Param() { key }: EventKeyParam): Promise<StoredEvent> {
    return this.events.retry(key);
  }
}
