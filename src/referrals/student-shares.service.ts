import { Injectable } from '@nestjs/common';
import { StudentShare } from '../common/student-share';
import { effectiveLadder, priceFor } from '../funnels/price-ladder';
import { OfferSpec } from '../funnels/funnel-content';
import { ReferralsService } from './referrals.service';

/** An enrolment as its share block needs it. */
export interface SharingEnrollment {
  id: string;
  studentId: string;
  email: string;
}

/**
 * The share block of a batch of enrolments of one cohort: each student's link, where their
 * qualified referrals put them on the offer's ladder, and the next rung. Two reads per batch
 * (codes and counts), so a 20,000-student fan-out pays it once per batch, not per mail.
 */
@Injectable()
export class StudentShares {
  constructor(private readonly referrals: ReferralsService) {}

  async sharesFor(
    offer: OfferSpec,
    cohort: { id: string; funnelId: string },
    enrollments: readonly SharingEnrollment[],
  ): Promise<Map<string, StudentShare>> {
    if (enrollments.length === 0) return new Map();
    const ladder = effectiveLadder(offer.listPrice, offer.priceTiers);
    const [links, counts] = await Promise.all([
      this.referrals.shareLinksOf(
        enrollments.map((e) => ({
          enrollmentId: e.id,
          studentId: e.studentId,
          email: e.email,
          cohortId: cohort.id,
          funnelId: cohort.funnelId,
        })),
      ),
      // With no ladder every count pays the list price: no need to count.
      ladder.length > 1 ? this.referrals.countsFor(enrollments.map((e) => e.id)) : new Map<string, number>(),
    ]);
    return new Map(
      enrollments.map((e) => {
        const price = priceFor(ladder, counts.get(e.id) ?? 0);
        const share: StudentShare = {
          url: links.get(e.id) as string,
          price: price.price,
          listPrice: offer.listPrice,
          next: price.next && { price: price.next.price, referralsNeeded: price.next.referralsNeeded },
        };
        return [e.id, share];
      }),
    );
  }

  async shareOf(
    offer: OfferSpec,
    cohort: { id: string; funnelId: string },
    enrollment: SharingEnrollment,
  ): Promise<StudentShare> {
    return (await this.sharesFor(offer, cohort, [enrollment])).get(enrollment.id) as StudentShare;
  }
}
