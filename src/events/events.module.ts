import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { JobsModule } from '../jobs/jobs.module';
import { DomainEventDoc, DomainEventSchema } from './domain-event.schema';
import { DomainEventsController } from './domain-events.controller';
import { DomainEventsRepository } from './domain-events.repository';
import { DomainEventsScheduler } from './domain-events.scheduler';
import { DomainEvents } from './domain-events.service';

/**
 * The durable event log that features publish to and subscribe on. Global, because nearly every
 * feature does one or the other, and it depends on none of them.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([{ name: DomainEventDoc.name, schema: DomainEventSchema }], COURSE_FUNNEL_CONNECTION),
    JobsModule,
  ],
  controllers: [DomainEventsController],
  providers: [DomainEventsRepository, DomainEvents, DomainEventsScheduler],
  exports: [DomainEvents],
})
export class EventsModule {}
