import { Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PublicRoute } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { CohortsService } from '../cohorts/cohorts.service';
import { enrollmentRefusal } from '../cohorts/sign-up.rules';
import { PageController } from '../pages/page-controller.decorator';
import { PAGE_TEXT, readerLocale } from '../pages/page-text';
import { PageRenderer } from '../pages/page.renderer';
import { ReferralCodeParam } from './dto/referral.dto';
import { ReferralsService } from './referrals.service';
import { ALL_ORGANIZATIONS } from '../common/tenancy';

/** The link students share: `/r/:code` leads to a sign-up page with the code applied. */
@PageController('')
export class ReferralLinksController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly cohorts: CohortsService,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  /**
   * To the referrer's own cohort while it takes sign-ups, else to the funnel's next cohort that
   * does; a page saying so when none does.
   */
  @Get('r/:code')
  @PublicRoute()
  async follow(@Param() { code }: ReferralCodeParam, @Req() request: Request, @Res() response: Response) {
    const owner = await this.referrals.findCode(code);
    const now = this.clock.now();
    const own = await this.cohorts.find(owner.cohortId, ALL_ORGANIZATIONS);
    const cohort = enrollmentRefusal(own, now) ? await this.cohorts.nextTakingSignUps(owner.funnelId, now) : own;
    response.setHeader('Cache-Control', 'no-store');
    if (cohort) {
      // Relative, so it stays on whatever host and route prefix the link was opened under.
      response.redirect(302, `../join/${cohort.id}?ref=${encodeURIComponent(owner.code)}`);
      return;
    }
    const locale = readerLocale(request);
    const text = PAGE_TEXT[locale];
    response
      .status(200)
      .type('html')
      .send(this.pages.message(locale, { title: text.noCohortTitle, paragraphs: [text.noCohortBody] }));
  }
}
