import { Body, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedBy } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CursorPage, cursorPage, CursorPageQuery } from '../common/cursor-page.query';
import { ReferralIdParam, ReviewReferralDto } from './dto/referral.dto';
import { ReferralRecord } from './referrals.repository';
import { ReferralsService } from './referrals.service';

/** Staff review of flagged referrals (their price effect and commissions wait for a decision). */
@ApiController('api/referrals', 'referrals')
@Staff('instructor')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @ApiOperation({
    summary: 'Referrals held for review',
    description: 'Referrals held for review, each with the patterns that flagged it.',
  })
  @Get('held')
  async held(@Query() query: CursorPageQuery): Promise<CursorPage<ReferralRecord>> {
    const limit = query.limit ?? 50;
    return cursorPage(await this.referrals.held(limit, query.after), limit);
  }

  @ApiOperation({
    summary: 'Approve or reject a referral',
    description: "Approved, the referral counts for the referrer's price and commissions; rejected, it never does.",
  })
  @Put(':id/review')
  review(
    @Param() { id }: ReferralIdParam,
    @Body() dto: ReviewReferralDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ReferralRecord> {
    return this.referrals.review(id, dto.decision, staff.tokenId);
  }
}

/** The referrals a cohort's students made, for the cohort's staff (partners: their own cohorts). */
@ApiController('api/cohorts', 'referrals')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class CohortReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @ApiOperation({
    summary: "A cohort's referrals",
    description:
      "Who referred whom in the cohort, with each referral's status (pending, qualified, held, refused and why).",
  })
  @Get(':id/referrals')
  async list(
    @Param() { id }: ObjectIdParam,
    @Query() query: CursorPageQuery,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<CursorPage<ReferralRecord>> {
    const limit = query.limit ?? 50;
    return cursorPage(await this.referrals.ofCohort(id, tenancy, limit, query.after), limit);
  }
}
