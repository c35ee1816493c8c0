import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { PricingError } from './pricing.errors';
import { Money } from '../common/money';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentRecord } from '../enrollments/enrollments.repository';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { FunnelsService } from '../funnels/funnels.service';
import { ReferralsService } from '../referrals/referrals.service';
import { effectiveLadder, PriceTier, priceFor, StudentPrice } from '../funnels/price-ladder';
import { QuoteRecord, QuotesRepository } from './quotes.repository';
import { ALL_ORGANIZATIONS } from '../common/tenancy';

/** A quote holds its price this long (and never past the offer's deadline). */
export const QUOTE_TTL_MS = 30 * 60_000;

/** The price a student sees: their tier on the funnel's ladder, and what the next one takes. */
export interface PriceView extends StudentPrice {
  courseName: string;
  /** The offer's description of the course (Markdown), if it has one. */
  courseDescription: string | null;
  listPrice: Money;
  ladder: PriceTier[];
  offerDeadlineAt: Date;
}

/** Where the ladder and a student's qualified referrals meet. */
@Injectable()
export class PriceService {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly quotes: QuotesRepository,
    private readonly clock: Clock,
  ) {}

  ladderOf(version: FunnelVersionRecord): PriceTier[] {
    return effectiveLadder(version.offer.listPrice, version.offer.priceTiers);
  }

  async pinned(cohortId: string): Promise<{ cohort: CohortRecord; version: FunnelVersionRecord }> {
    const cohort = await this.cohorts.find(cohortId, ALL_ORGANIZATIONS);
    return { cohort, version: await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS) };
  }

  /** The student's price; pass the cohort and its pinned version when the caller has them already. */
  async priceOf(
    enrollment: EnrollmentRecord,
    pinned?: { cohort: CohortRecord; version: FunnelVersionRecord },
  ): Promise<PriceView> {
    const { cohort, version } = pinned ?? (await this.pinned(enrollment.cohortId));
    const ladder = this.ladderOf(version);
    return {
      ...priceFor(ladder, await this.referrals.countFor(enrollment.id)),
      courseName: version.offer.courseName,
      courseDescription: version.offer.description ?? null,
      listPrice: version.offer.listPrice,
      ladder,
      offerDeadlineAt: cohort.offerDeadlineAt,
    };
  }

  /**
   * Locks the student's current price for a checkout. Only for confirmed students, and only while
   * the offer is open; the quote lasts QUOTE_TTL_MS, or until the offer's deadline if sooner.
   */
  async quote(enrollment: EnrollmentRecord): Promise<QuoteRecord> {
    if (enrollment.status !== 'confirmed') {
      throw new PricingError('not_confirmed', 'Confirm your place in the classes before buying the course');
    }
    const price = await this.priceOf(enrollment);
    const now = this.clock.now();
    if (now >= price.offerDeadlineAt) {
      throw new PricingError('offer_closed', `This offer closed at ${price.offerDeadlineAt.toISOString()}`);
    }
    return this.quotes.insert({
      enrollmentId: enrollment.id,
      studentId: enrollment.studentId,
      cohortId: enrollment.cohortId,
      courseName: price.courseName,
      tier: price.tier,
      price: price.price,
      listPrice: price.listPrice,
      qualifiedReferrals: price.qualifiedReferrals,
      createdAt: now,
      expiresAt: new Date(Math.min(now.getTime() + QUOTE_TTL_MS, price.offerDeadlineAt.getTime())),
    });
  }

  /** A quote of this student that has not expired. */
  async validQuote(quoteId: string, studentId: string): Promise<QuoteRecord> {
    const quote = await this.quotes.find(quoteId);
    if (!quote || quote.studentId !== studentId) throw new NotFoundError('quote', quoteId);
    if (this.clock.now() >= quote.expiresAt) {
      throw new PricingError('quote_expired', 'This price quote has expired; ask for a new one');
    }
    return quote;
  }

  findQuote(quoteId: string): Promise<QuoteRecord | null> {
    return this.quotes.find(quoteId);
  }
}
