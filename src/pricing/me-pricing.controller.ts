import { Body, Get, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { ReferralsService } from '../referrals/referrals.service';
import { CreateQuoteDto, OwnEnrollmentQuery } from './dto/pricing.dto';
import { PriceService, PriceView } from './price.service';
import { QuoteRecord } from './quotes.repository';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** A student's referrals as they see them: no referee's name or address, only how each one stands. */
export interface MyReferrals {
  code: string;
  shareUrl: string;
  /** Qualified referrals that count for the price (flagged ones wait for review). */
  counted: number;
  referrals: { status: string; review: string; createdAt: Date; qualifiedAt: Date | null }[];
}

/**
 * The student's price, referral link and checkout quotes, through any link of their own: a lesson
 * mail's link from class 1 (sharing starts in the free classes), the offer's, or a staff-issued one.
 */
@ApiController('api/me', 'pricing')
@StudentLink('student', 'lesson', 'offer')
export class MePricingController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly prices: PriceService,
    private readonly referrals: ReferralsService,
  ) {}

  @ApiOperation({
    summary: 'My price',
    description: 'The current tier and price, the next tier and how many more referrals it needs.',
  })
  @Get('price')
  async price(
    @Query() { enrollmentId }: OwnEnrollmentQuery,
    @CurrentStudent() me: StudentPrincipal,
  ): Promise<PriceView> {
    return this.prices.priceOf(await this.enrollments.ownEnrollment(enrollmentId, me.studentId));
  }

  @ApiOperation({
    summary: 'My referrals and share link',
    description:
      "The student's referral code and share link, and the friends who signed up with it, with whether each counts yet.",
  })
  @Get('referrals')
  async myReferrals(
    @Query() { enrollmentId }: OwnEnrollmentQuery,
    @CurrentStudent() me: StudentPrincipal,
  ): Promise<MyReferrals> {
    const enrollment = await this.enrollments.ownEnrollment(enrollmentId, me.studentId);
    const { cohort } = await this.prices.pinned(enrollment.cohortId);
    const link = await this.referrals.shareLinkFor(this.enrollments.referralParty(enrollment, cohort));
    const list = await this.referrals.listOfReferrer(enrollment.id);
    return {
      ...link,
      counted: await this.referrals.countFor(enrollment.id),
      referrals: list.map((r) => ({
        status: r.status,
        review: r.review,
        createdAt: r.createdAt,
        qualifiedAt: r.qualifiedAt,
      })),
    };
  }

  @ApiOperation({
    summary: 'Lock my price',
    description: 'Locks the current price for a checkout; later referrals do not change a locked quote.',
  })
  @Post('quotes')
  @ApiBodyExample(CreateQuoteDto, 'Lock the price of this enrolment', { enrollmentId: '6650a1b2c3d4e5f6a7b8c9d0' })
  async quote(@Body() { enrollmentId }: CreateQuoteDto, @CurrentStudent() me: StudentPrincipal): Promise<QuoteRecord> {
    return this.prices.quote(await this.enrollments.ownEnrollment(enrollmentId, me.studentId));
  }
}
