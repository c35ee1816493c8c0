import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AttendanceModule } from '../attendance/attendance.module';
import { ChannelsModule } from '../channels/channels.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { HomeworkModule } from '../homework/homework.module';
import { LicensesModule } from '../licenses/licenses.module';
import { PartnersModule } from '../partners/partners.module';
import { MessagesModule } from '../messages/messages.module';
import { NotesModule } from '../notes/notes.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleAuthController } from './console-auth.controller';
import {
  ConsoleChannelsPage,
  ConsoleCohortChannelsController,
  ConsoleFunnelChannelsController,
} from './console-channels.controller';
import { ConsoleCohortsController } from './console-cohorts.controller';
import { ConsoleFunnelsController } from './console-funnels.controller';
import { ConsoleGradingController } from './console-grading.controller';
import { ConsoleLicensesController } from './console-licenses.controller';
import { ConsoleMessagesController } from './console-messages.controller';
import { ConsoleNotesController } from './console-notes.controller';
import { ConsolePartnersController } from './console-partners.controller';
import { ConsoleOutboxController } from './console-outbox.controller';
import { ConsoleHomeController } from './console-home.controller';
import { ConsoleRenderer } from './console.renderer';

/**
 * The staff console at /console: server-rendered pages over the same services as the API, with
 * a cookie session instead of a bearer token. It adds no rule of its own.
 */
@Module({
  imports: [
    AnalyticsModule,
    AttendanceModule,
    ChannelsModule,
    CohortsModule,
    EnrollmentsModule,
    FunnelsModule,
    HomeworkModule,
    LicensesModule,
    MessagesModule,
    NotesModule,
    OutboxModule,
    PartnersModule,
  ],
  controllers: [
    ConsoleAssetsController,
    ConsoleAuthController,
    ConsoleHomeController,
    ConsoleCohortsController,
    ConsoleCohortChannelsController,
    ConsoleFunnelChannelsController,
    ConsoleNotesController,
    ConsoleFunnelsController,
    ConsoleGradingController,
    ConsoleOutboxController,
    ConsoleLicensesController,
    ConsoleMessagesController,
    ConsolePartnersController,
  ],
  providers: [ConsoleRenderer, ConsoleChannelsPage],
})
export class ConsoleModule {}
