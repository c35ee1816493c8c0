import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttendanceModule } from '../attendance/attendance.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { FunnelsModule } from '../funnels/funnels.module';
import { JobsModule } from '../jobs/jobs.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PagesModule } from '../pages/pages.module';
import { Channel, ChannelSchema, ChannelSlot, ChannelSlotSchema } from './channel.schema';
import { ChannelPostsService } from './channel-posts.service';
import { ChannelSlotsPurgeJob } from './channel-slots-purge.job';
import { ChannelPreviewController, CohortChannelsController, FunnelChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';
import { ChatPostRenderer } from './chat-post.renderer';
import { ChatPostSender } from './chat-post.sender';
import { ClassLinkController } from './class-link.controller';

/** A cohort's group chats: staff manage them, the fan-out decides what they post, the outbox sends it. */
@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: Channel.name, schema: ChannelSchema },
        { name: ChannelSlot.name, schema: ChannelSlotSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    AttendanceModule,
    CohortsModule,
    FunnelsModule,
    JobsModule,
    OutboxModule,
    PagesModule,
  ],
  controllers: [CohortChannelsController, FunnelChannelsController, ChannelPreviewController, ClassLinkController],
  providers: [
    ChannelsRepository,
    ChannelsService,
    ChannelPostsService,
    ChatPostRenderer,
    ChatPostSender,
    ChannelSlotsPurgeJob,
  ],
  exports: [ChannelsService, ChannelPostsService],
})
export class ChannelsModule {}
