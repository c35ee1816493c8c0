import { Injectable, Logger } from '@nestjs/common';
import { AttendanceReports } from '../attendance/attendance-reports.service';
import { ChannelPostsService, ChannelsByOwner } from '../channels/channel-posts.service';
import { ChatDispatch } from '../channels/channel-posts.rules';
import { Clock } from '../common/clock';
import { readAhead } from '../common/concurrency';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { StudentReleases } from '../releases/student-releases.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { OutboxService } from '../outbox/outbox.service';
import { StudentShares } from '../referrals/student-shares.service';
import { Dispatch, dueDispatches } from '../releases/release.rules';
import { FanoutsRepository } from './fanouts.repository';

/** A fan-out belongs to one schedule of a cohort: moving the start gives every dispatch a new one. */
const fanoutId = (cohort: CohortRecord, dispatch: Pick<Dispatch, 'key'>) =>
  `${cohort.id}@${cohort.startAt.getTime()}:${dispatch.key}`;
/** A group post is a fan-out of its own, to the cohort's channels. */
const chatFanoutId = (cohort: CohortRecord, post: ChatDispatch) => fanoutId(cohort, { key: `chat:${post.key}` });

export interface ReleaseReport {
  fanouts: number;
  messages: number;
}

/** Cancellation notices are looked for this long after a cancellation (a bounded scan). */
const CANCELLED_NOTICE_WINDOW_MS = 7 * 24 * 3600_000;

/**
 * Turns due lessons, offers and cancellation notices into outbox messages. Every tick looks at all
 * that is due and not yet done, so whatever came due while no instance ran goes out when one comes
 * back, once: a fan-out is marked done only after all its messages are written, and the outbox's
 * idempotency keys absorb a fan-out that runs twice.
 */
@Injectable()
export class FanoutService {
  private readonly logger = new Logger('Releases');

  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrollments: EnrollmentsService,
    private readonly outbox: OutboxService,
    private readonly releases: StudentReleases,
    private readonly fanouts: FanoutsRepository,
    private readonly attendance: AttendanceReports,
    private readonly shares: StudentShares,
    private readonly channelPosts: ChannelPostsService,
    private readonly clock: Clock,
  ) {}

  async releaseDue(): Promise<ReleaseReport> {
    const now = this.clock.now();
    const report: ReleaseReport = { fanouts: 0, messages: 0 };
    const versions = new Map<string, FunnelVersionRecord>();
    const channels = await this.channelPosts.activeByOwner();
    for (const status of ['open', 'running', 'cancelled'] as const) {
      for await (const page of this.cohorts.inStatus(status)) {
        for (const cohort of page) {
          if (
            status === 'cancelled' &&
            now.getTime() - (cohort.cancelledAt?.getTime() ?? 0) > CANCELLED_NOTICE_WINDOW_MS
          ) {
            continue;
          }
          const versionKey = `${cohort.funnelId}@${cohort.funnelVersion}`;
          let version = versions.get(versionKey);
          if (!version) {
            version = await this.cohorts.pinnedVersion(cohort);
            versions.set(versionKey, version);
          }
          await this.releaseCohort(cohort, version, now, report);
          await this.postToChannels(cohort, version, channels, now, report);
        }
      }
    }
    if (report.fanouts > 0) this.logger.log({ msg: 'released', ...report });
    return report;
  }

  private async releaseCohort(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    now: Date,
    report: ReleaseReport,
  ): Promise<void> {
    const due = dueDispatches(cohort, version.lessons, version.offer, now);
    const done = await this.fanouts.completed(due.map((d) => fanoutId(cohort, d)));
    for (const dispatch of due) {
      if (done.has(fanoutId(cohort, dispatch))) continue;
      report.messages += await this.fanOut(cohort, version, dispatch);
      report.fanouts++;
    }
    if (cohort.evergreen) return; // always open: no running or completed phase
    const firstRelease = cohort.lessons[0]?.releaseAt ?? cohort.startAt;
    if (cohort.status === 'open' && now >= firstRelease) await this.cohorts.advance(cohort, 'running');
    if (cohort.status === 'running' && now >= cohort.offerDeadlineAt) await this.cohorts.advance(cohort, 'completed');
  }

  /** Writes the group posts that are due to the cohort's channels (its own, or its funnel's). */
  private async postToChannels(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    byOwner: ChannelsByOwner,
    now: Date,
    report: ReleaseReport,
  ): Promise<void> {
    const channels = this.channelPosts.postingFor(cohort, byOwner);
    if (channels.length === 0) return;
    const due = await this.channelPosts.due(cohort, version, channels, now);
    if (due.length === 0) return;
    const done = await this.fanouts.completed(due.map((post) => chatFanoutId(cohort, post)));
    for (const post of due.filter((p) => !done.has(chatFanoutId(cohort, p)))) {
      const written = await this.outbox.enqueue(this.channelPosts.messagesFor(cohort, version, post, channels));
      await this.fanouts.markCompleted(chatFanoutId(cohort, post), written, this.clock.now());
      report.messages += written;
      report.fanouts++;
    }
  }

  /** Writes one dispatch's message for every recipient, batch by batch; returns how many were new. */
  private async fanOut(cohort: CohortRecord, version: FunnelVersionRecord, dispatch: Dispatch): Promise<number> {
    const statuses = dispatch.kind === 'cancelled' ? (['confirmed', 'pending'] as const) : (['confirmed'] as const);
    let written = 0;
    // The next batch of enrolments is read while this one's messages are written.
    for await (const batch of readAhead(this.enrollments.batches(cohort.id, statuses))) {
      const recipients =
        dispatch.kind === 'missed' && dispatch.lessonKey
          ? await this.attendance.absentees(cohort, version, dispatch.lessonKey, batch)
          : batch;
      // Each student's share link and price as of now (the offer quotes that price); a cancellation has none.
      const shares =
        dispatch.kind === 'cancelled' || dispatch.kind === 'rescheduled'
          ? null
          : await this.shares.sharesFor(version.offer, cohort, recipients);
      written += await this.outbox.enqueue(
        recipients.flatMap((enrollment) =>
          this.releases.forDispatch(dispatch, cohort, version, enrollment, shares?.get(enrollment.id)),
        ),
      );
    }
    await this.fanouts.markCompleted(fanoutId(cohort, dispatch), written, this.clock.now());
    return written;
  }
}
