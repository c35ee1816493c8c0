import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { FunnelsModule } from '../funnels/funnels.module';
import { OutboxModule } from '../outbox/outbox.module';
import { Cohort, CohortSchema } from './cohort.schema';
import { CohortsController } from './cohorts.controller';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Cohort.name, schema: CohortSchema }], COURSE_FUNNEL_CONNECTION),
    FunnelsModule,
    OutboxModule,
  ],
  controllers: [CohortsController],
  providers: [CohortsRepository, CohortsService],
  exports: [CohortsService],
})
export class CohortsModule {}
