import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { DefaultFunnelsSeeder } from './default-funnels.seeder';
import { Funnel, FunnelSchema, FunnelVersion, FunnelVersionSchema } from './funnel.schema';
import { FunnelsController } from './funnels.controller';
import { FunnelsRepository } from './funnels.repository';
import { FunnelsService } from './funnels.service';

@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: Funnel.name, schema: FunnelSchema },
        { name: FunnelVersion.name, schema: FunnelVersionSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
  ],
  controllers: [FunnelsController],
  providers: [FunnelsRepository, FunnelsService, DefaultFunnelsSeeder],
  exports: [FunnelsService],
})
export class FunnelsModule {}
