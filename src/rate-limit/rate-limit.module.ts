import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { JobsModule } from '../jobs/jobs.module';
import { MongoThrottlerStorage } from './mongo-throttler.storage';
import { PUBLIC_THROTTLER_OPTIONS, PublicRateLimitGuard } from './public-rate-limit.guard';
import { RateLimitPurgeJob } from './rate-limit-purge.job';
import { RateLimitHit, RateLimitHitSchema } from './rate-limit-hit.schema';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature([{ name: RateLimitHit.name, schema: RateLimitHitSchema }], COURSE_FUNNEL_CONNECTION),
    JobsModule,
  ],
  providers: [
    {
      provide: PUBLIC_THROTTLER_OPTIONS,
      inject: [COURSE_FUNNEL_OPTIONS],
      useFactory: (options: ResolvedCourseFunnelOptions): ThrottlerModuleOptions => ({
        throttlers: [{ name: 'public', ttl: 60_000, limit: options.publicRateLimitPerMinute }],
      }),
    },
    MongoThrottlerStorage,
    PublicRateLimitGuard,
    RateLimitPurgeJob,
  ],
  exports: [PUBLIC_THROTTLER_OPTIONS, MongoThrottlerStorage, PublicRateLimitGuard],
})
export class RateLimitModule {}
