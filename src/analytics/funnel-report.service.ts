import { Injectable } from '@nestjs/common';
import { AttendanceReports } from '../attendance/attendance-reports.service';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { HomeworkService } from '../homework/homework.service';
import { OrdersService } from '../orders/orders.service';
import { ReferralsService } from '../referrals/referrals.service';
import {
  FunnelStep,
  funnelSteps,
  NotesSharedFigure,
  notesSharedFigures,
  ReferralFigures,
  referralFigures,
} from './funnel-report.rules';
import { NotesService } from '../notes/notes.service';
import { Tenancy } from '../common/tenancy';

/** One row of a cohort's referral leaderboard. */
export interface ReferrerRow {
  enrollmentId: string;
  name: string;
  invites: number;
  qualified: number;
}

export interface FunnelReport {
  cohortId: string;
  cohortName: string;
  steps: FunnelStep[];
  referrals: ReferralFigures;
  /** Per class, the students who shared a note with their group (the notes wall). */
  notesShared: NotesSharedFigure[];
}

/**
 * A cohort's funnel, step by step. Counts come from the database (counts and distinct counts);
 * attendance, which needs each student's own times, is read page by page, never the cohort whole.
 */
@Injectable()
export class FunnelReportService {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrollments: EnrollmentsService,
    private readonly attendance: AttendanceReports,
    private readonly homework: HomeworkService,
    private readonly orders: OrdersService,
    private readonly referrals: ReferralsService,
    private readonly notes: NotesService,
  ) {}

  async report(cohortId: string, tenancy: Tenancy): Promise<FunnelReport> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const [{ enrolled, confirmed }, lessons, handedIn, sales, referrals] = await Promise.all([
      this.enrollments.signUpCounts(cohortId),
      this.attendance.lessonRates(cohortId, tenancy),
      this.homework.studentsWhoSubmitted(cohortId),
      this.orders.cohortFigures(cohortId),
      this.referrals.cohortFigures(cohortId),
    ]);
    const attended = lessons.map((l) => ({ lessonKey: l.lessonKey, attended: l.present + l.late }));
    const shared = await this.notes.sharedPerLesson(
      cohortId,
      attended.map((l) => l.lessonKey),
    );
    return {
      cohortId,
      cohortName: cohort.name,
      steps: funnelSteps([
        { step: 'enrolled', count: enrolled },
        { step: 'confirmed', count: confirmed },
        ...attended.map((l) => ({ step: `attended:${l.lessonKey}`, count: l.attended })),
        { step: 'homework_handed_in', count: handedIn },
        { step: 'offer_opened', count: sales.offerViews },
        { step: 'ordered', count: sales.ordered },
        { step: 'paid', count: sales.paid },
      ]),
      referrals: referralFigures(referrals.invites, referrals.qualified, confirmed),
      notesShared: notesSharedFigures(attended, shared),
    };
  }

  /** The students of the cohort who brought the most friends in (invites, and how many qualified). */
  async leaderboard(cohortId: string, tenancy: Tenancy, limit = 10): Promise<ReferrerRow[]> {
    await this.cohorts.find(cohortId, tenancy);
    const top = await this.referrals.topReferrers(cohortId, limit);
    return Promise.all(
      top.map(async (row) => ({
        enrollmentId: row.referrerEnrollmentId,
        name: (await this.enrollments.find(row.referrerEnrollmentId)).name,
        invites: row.invites,
        qualified: row.qualified,
      })),
    );
  }
}
