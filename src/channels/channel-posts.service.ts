import { Inject, Injectable } from '@nestjs/common';
import { AttendanceReports } from '../attendance/attendance-reports.service';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { isFreeLesson } from '../funnels/funnel-content';
import { lessonSummary } from '../funnels/lesson-body';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { homeworkDueAt } from '../homework/homework.rules';
import { NewOutboxMessage } from '../messages/outgoing-message';
import { formatLocal } from '../schedule/schedule.rules';
import { ChatPostData } from './chat-post';
import { ChatMessageData } from './chat-post.sender';
import { ChannelRecord, ChannelsRepository } from './channels.repository';
import { ChatDispatch, checkInWindow, dueChatPosts, lessonsCountingCheckIns } from './channel-posts.rules';

/** Active channels by owner (a cohort or a funnel), read once per scheduler tick. */
export type ChannelsByOwner = Map<string, ChannelRecord[]>;

/**
 * What a cohort posts to its group channels, and when (channel-posts.rules): the fan-out asks at
 * every tick, writes the posts to the outbox under one key per channel, schedule and post, and
 * marks each done like any other fan-out.
 */
@Injectable()
export class ChannelPostsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly attendance: AttendanceReports,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  async activeByOwner(): Promise<ChannelsByOwner> {
    const byOwner: ChannelsByOwner = new Map();
    for (const channel of await this.channels.allActive()) {
      byOwner.set(channel.ownerId, [...(byOwner.get(channel.ownerId) ?? []), channel]);
    }
    return byOwner;
  }

  /** A cohort's own channels, or while it has none, its funnel's. */
  postingFor(cohort: Pick<CohortRecord, 'id' | 'funnelId'>, byOwner: ChannelsByOwner): ChannelRecord[] {
    return byOwner.get(cohort.id) ?? byOwner.get(cohort.funnelId) ?? [];
  }

  /** The posts due now (check-ins are counted only when a channel posts milestones and a window is open). */
  async due(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    channels: ChannelRecord[],
    now: Date,
  ): Promise<ChatDispatch[]> {
    const counting = channels.some((c) => c.kinds.includes('milestone')) ? lessonsCountingCheckIns(cohort, now) : [];
    const checkedIn = counting.length > 0 ? await this.attendance.checkedInCounts(cohort.id, counting) : new Map();
    return dueChatPosts(cohort, version.lessons, version.offer, now, checkedIn).filter((post) =>
      channels.some((c) => c.kinds.includes(post.kind)),
    );
  }

  /** One outbox message per channel that posts this kind, due at the post's time. */
  messagesFor(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    dispatch: ChatDispatch,
    channels: ChannelRecord[],
  ): NewOutboxMessage[] {
    return channels
      .filter((channel) => channel.kinds.includes(dispatch.kind))
      .map((channel) => ({
        key: `chat:${channel.id}:${cohort.startAt.getTime()}:${dispatch.key}`,
        kind: 'chat' as const,
        locale: channel.locale,
        to: channel.id,
        data: { post: this.postData(cohort, version, dispatch, channel) } satisfies ChatMessageData,
        cohortId: cohort.id,
        nextAttemptAt: dispatch.at,
      }));
  }

  private postData(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    dispatch: ChatDispatch,
    channel: ChannelRecord,
  ): ChatPostData {
    const local = (at: Date) => formatLocal(at, cohort.timezone, channel.locale);
    const zone = cohort.timezone;
    const common = { cohort: { name: cohort.name } };
    const free = cohort.lessons.filter(isFreeLesson);
    const index = free.findIndex((l) => l.key === dispatch.lessonKey);
    const scheduled = free[index];
    const spec = version.lessons.find((l) => l.key === dispatch.lessonKey);
    if (dispatch.kind === 'offer') {
      const { courseName, listPrice } = version.offer;
      return {
        kind: 'offer',
        data: { ...common, offer: { courseName, listPrice, deadlineLocal: local(cohort.offerDeadlineAt), zone } },
      };
    }
    if (!scheduled || !spec) throw new Error(`cohort ${cohort.id} has no free lesson ${dispatch.lessonKey}`);
    const lesson = { number: index + 1, title: spec.title };
    const links = { lesson: `${this.options.publicBaseUrl}/c/${cohort.id}/${scheduled.key}` };
    switch (dispatch.kind) {
      case 'opening': {
        const window = checkInWindow(scheduled, cohort.attendance);
        return {
          kind: 'opening',
          data: {
            ...common,
            lesson: { ...lesson, startsLocal: local(scheduled.releaseAt), zone },
            checkIn: { opensLocal: local(window.opensAt), closesLocal: local(window.closesAt) },
            links,
          },
        };
      }
      case 'released':
        return {
          kind: 'released',
          data: { ...common, lesson: { ...lesson, summary: lessonSummary(spec.body) }, links },
        };
      case 'homework': {
        const dueAt = homeworkDueAt(scheduled.releaseAt, spec.homework!);
        return { kind: 'homework', data: { ...common, lesson: { ...lesson, dueLocal: local(dueAt), zone }, links } };
      }
      case 'milestone':
        return { kind: 'milestone', data: { ...common, lesson, milestone: { checkedIn: dispatch.checkedIn ?? 0 } } };
    }
  }
}
