import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { Staff } from '../auth/access.decorators';
import { ApiController } from '../common/api-controller.decorator';
import { NotFoundError } from '../common/domain-error';
import { EventKeyParam, ListEventsQuery } from './dto/list-events.query';
import { DomainEventsRepository, StoredEvent } from './domain-events.repository';
import { DomainEvents } from './domain-events.service';

/** Effects that are late or stuck: failed events stay here until an admin retries them. */
@ApiController('api/events', 'events')
@Staff('admin')
export class DomainEventsController {
  constructor(
    private readonly repository: DomainEventsRepository,
    private readonly events: DomainEvents,
  ) {}

  @Get()
  async list(@Query() query: ListEventsQuery): Promise<{ counts: Record<string, number>; items: StoredEvent[] }> {
    const [pending, failed, items] = await Promise.all([
      this.repository.count('pending'),
      this.repository.count('failed'),
      this.repository.list(query.state ?? 'failed', query.limit ?? 50),
    ]);
    return { counts: { pending, failed }, items };
  }

  /** Another round of deliveries for a failed event, now. */
  @Post(':key/retry')
  @HttpCode(HttpStatus.OK)
  async retry(@Param() { key }: EventKeyParam): Promise<StoredEvent> {
    if (!(await this.events.retry(key))) {
      const event = await this.repository.find(key);
      if (!event) throw new NotFoundError('event', key);
      return event;
    }
    return (await this.repository.find(key))!;
  }
}
