import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { PagesModule } from '../pages/pages.module';
import { ReferralLinksController } from './referral-links.controller';
import {
  Referral,
  ReferralCode,
  ReferralCodeSchema,
  ReferralRefusalDoc,
  ReferralRefusalSchema,
  ReferralSchema,
} from './referral.schema';
import { CohortReferralsController, ReferralsController } from './referrals.controller';
import { ReferralsRepository } from './referrals.repository';
import { ReferralsService } from './referrals.service';
import { StudentShares } from './student-shares.service';

/**
 * Codes, attribution and referral records. Below enrolments (which attribute sign-ups through
 * it); qualification, which needs attendance, is done above it by the pricing feature.
 */
@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: ReferralCode.name, schema: ReferralCodeSchema },
        { name: Referral.name, schema: ReferralSchema },
        { name: ReferralRefusalDoc.name, schema: ReferralRefusalSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    PagesModule,
  ],
  controllers: [ReferralsController, CohortReferralsController, ReferralLinksController],
  providers: [ReferralsRepository, ReferralsService, StudentShares],
  exports: [ReferralsService, StudentShares],
})
export class ReferralsModule {}
