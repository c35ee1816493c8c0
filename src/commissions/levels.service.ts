import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { StudentMessages } from '../messages/student-messages';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { OrdersService } from '../orders/orders.service';
import { OutboxService } from '../outbox/outbox.service';
import { ReferralsService } from '../referrals/referrals.service';
import { CommissionsRepository, LevelChangeRecord, LevelRecord } from './commissions.repository';
import { automaticPromotion, Level, levelRank, needsMaintenanceReview, ReferrerStats } from './promotion.rules';

const DAY_MS = 24 * 3600_000;

const LEVEL_NAMES: Record<'zh-CN' | 'en', Record<Level, string>> = {
  'zh-CN': { member: '学员', agent: '推广大使', partner: '合伙人' },
  en: { member: 'member', agent: 'agent', partner: 'partner' },
};

/**
 * The promotion ladder: members become agents and partners by their own results and their team's,
 * automatically and once per level; staff promote or demote by hand with a reason; every change is
 * kept. Agents and partners whose paid referrals dropped are put up for review, never demoted
 * silently.
 */
@Injectable()
export class LevelsService {
  constructor(
    private readonly repository: CommissionsRepository,
    private readonly referrals: ReferralsService,
    private readonly orders: OrdersService,
    private readonly enrollments: EnrollmentsService,
    private readonly outbox: OutboxService,
    private readonly messages: StudentMessages,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  level(studentId: string): Promise<LevelRecord> {
    return this.repository.level(studentId);
  }

  async levelWithHistory(
    studentId: string,
  ): Promise<LevelRecord & { history: LevelChangeRecord[]; stats: ReferrerStats }> {
    const [level, history, stats] = await Promise.all([
      this.repository.level(studentId),
      this.repository.history(studentId),
      this.stats(studentId),
    ]);
    return { ...level, history, stats };
  }

  async stats(studentId: string): Promise<ReferrerStats> {
    const [qualifiedReferrals, paidReferrals, referees] = await Promise.all([
      this.referrals.countForStudent(studentId),
      this.orders.countPaidReferred(studentId),
      this.referrals.refereesOf(studentId),
    ]);
    const levels = await this.repository.levelsOf(referees);
    const directAgents = [...levels.values()].filter((l) => levelRank(l) >= levelRank('agent')).length;
    return { qualifiedReferrals, paidReferrals, directAgents };
  }

  /**
   * Promotes a student whose results earn a higher level (and then their own referrer, whose team
   * just grew). `viaEnrollmentId` is the enrolment the promotion mail is sent under.
   */
  async reconsider(studentId: string, viaEnrollmentId: string): Promise<void> {
    const current = await this.repository.level(studentId);
    const to = automaticPromotion(current.level, await this.stats(studentId), this.options.promotion);
    if (!to) return;
    const promoted = await this.repository.changeLevel({
      id: `${studentId}:auto:${to}`,
      studentId,
      from: current.level,
      to,
      reason: 'reached the promotion threshold',
      by: 'system',
      at: this.clock.now(),
    });
    if (!promoted) return;
    const { enrollment, cohort } = await this.enrollments.findWithCohort(viaEnrollmentId);
    const percent = `${this.options.commissions.rates[to] / 100}%`;
    await this.outbox.enqueue([
      this.messages.promoted(enrollment, cohort, {
        key: to,
        name: LEVEL_NAMES[enrollment.locale][to],
        commissionPercent: percent,
      }),
    ]);
    // One more agent in their team may earn whoever referred them a promotion too.
    const above = await this.referrals.of(viaEnrollmentId);
    if (above) await this.reconsider(above.referrerStudentId, above.referrerEnrollmentId);
  }

  /** Staff set a level by hand, with a reason; kept in the history. */
  async setByStaff(studentId: string, to: Level, reason: string, by: string): Promise<LevelRecord> {
    const current = await this.repository.level(studentId);
    await this.repository.changeLevel({
      id: randomUUID(),
      studentId,
      from: current.level,
      to,
      reason,
      by,
      at: this.clock.now(),
    });
    return this.repository.level(studentId);
  }

  /** The maintenance review: flags agents and partners whose paid referrals over the period fell short. */
  async reviewActivity(): Promise<{ reviewed: number; due: number }> {
    const { periodDays, minPaidReferrals } = this.options.promotion.maintenance;
    const since = new Date(this.clock.now().getTime() - periodDays * DAY_MS);
    let after: string | undefined;
    let reviewed = 0;
    let due = 0;
    for (;;) {
      const page = await this.repository.promoted(200, after);
      for (const level of page) {
        // Someone promoted within the period has not had a full period yet.
        if (level.since && level.since > since) continue;
        const paid = await this.orders.countPaidReferred(level.studentId, since);
        const flag = needsMaintenanceReview(level.level, paid, this.options.promotion);
        reviewed++;
        if (flag) due++;
        if (flag !== level.reviewDue) {
          await this.repository.markReview(
            level.studentId,
            flag,
            flag ? `${paid} paid referrals in the last ${periodDays} days (needs ${minPaidReferrals})` : undefined,
          );
        }
      }
      if (page.length < 200) return { reviewed, due };
      after = page[page.length - 1].studentId;
    }
  }

  dueForReview(): Promise<LevelRecord[]> {
    return this.repository.dueForReview();
  }
}
