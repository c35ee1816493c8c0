import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { FunnelsModule } from '../funnels/funnels.module';
import { MessageOverride, MessageOverrideSchema } from './message-override.schema';
import { MessageOverridesRepository } from './message-overrides.repository';
import { MessageOverridesService } from './message-overrides.service';
import { MessageTemplatesController } from './message-templates.controller';
import { MessageRenderer } from './message.renderer';
import { StudentMessages } from './student-messages';

@Module({
  imports: [
    MongooseModule.forFeature(
      [{ name: MessageOverride.name, schema: MessageOverrideSchema }],
      COURSE_FUNNEL_CONNECTION,
    ),
    FunnelsModule,
  ],
  controllers: [MessageTemplatesController],
  providers: [MessageRenderer, MessageOverridesRepository, MessageOverridesService, StudentMessages],
  exports: [MessageRenderer, MessageOverridesService, StudentMessages],
})
export class MessagesModule {}
