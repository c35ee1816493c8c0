import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { MailModule } from '../mail/mail.module';
import { MessagesModule } from '../messages/messages.module';
import {
  OutboxChunk,
  OutboxChunkSchema,
  OutboxClaim,
  OutboxClaimSchema,
  OutboxMessage,
  OutboxMessageSchema,
  OutboxWorkerBeat,
  OutboxWorkerBeatSchema,
} from './outbox-message.schema';
import { OutboxTally, OutboxTallySchema, OutboxTotal, OutboxTotalSchema } from './outbox-tally.schema';
import { OutboxTallyRepository } from './outbox-tally.repository';
import { OutboxController } from './outbox.controller';
import { Suppression, SuppressionSchema } from './suppression.schema';
import { OutboxRepository } from './outbox.repository';
import { OutboxSenders } from './outbox-senders';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: OutboxMessage.name, schema: OutboxMessageSchema },
        { name: OutboxClaim.name, schema: OutboxClaimSchema },
        { name: OutboxChunk.name, schema: OutboxChunkSchema },
        { name: Suppression.name, schema: SuppressionSchema },
        { name: OutboxWorkerBeat.name, schema: OutboxWorkerBeatSchema },
        { name: OutboxTally.name, schema: OutboxTallySchema },
        { name: OutboxTotal.name, schema: OutboxTotalSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    MailModule,
    MessagesModule,
  ],
  controllers: [OutboxController],
  providers: [OutboxRepository, OutboxTallyRepository, OutboxService, OutboxWorker, OutboxSenders],
  exports: [OutboxService, OutboxWorker, OutboxSenders],
})
export class OutboxModule {}
