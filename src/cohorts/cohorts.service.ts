import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { DEFAULT_ATTENDANCE_POLICY, validateAttendancePolicy } from './cohort-policies';
import { DEFAULT_COMPLETION_RULE } from './cohort-policies';
import { enrollmentRefusal } from './sign-up.rules';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainHooks } from '../events/domain-hooks';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { OrganizationScopes } from '../auth/organization-scope';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { NotFoundError } from '../common/domain-error';
import { ScopeRequiredError } from '../auth/auth.errors';
import { FunnelsService } from '../funnels/funnels.service';
import { OutboxService } from '../outbox/outbox.service';
import { formatLocal } from '../schedule/schedule.rules';
import {
  canReschedule,
  canTransition,
  CohortStatus,
  lessonsAlreadyDue,
  materializeSchedule,
  ScheduledLesson,
} from './cohort.rules';
import { CohortRuleError, CohortStartPassedError, CohortStatusError } from './cohorts.errors';
import { CohortRecord, CohortsRepository } from './cohorts.repository';
import { CreateCohortDto } from './dto/create-cohort.dto';
import { ListCohortsQuery } from './dto/list-cohorts.query';

/** A cohort as staff see it: UTC instants plus the same times in the cohort's own zone. */
export interface CohortView extends CohortRecord {
  schedule: { key: string; title: string; releaseAt: Date; local: string }[];
}

export type CohortPage = CursorPage<CohortRecord>;

function toView(cohort: CohortRecord): CohortView {
  return {
    ...cohort,
    schedule: cohort.lessons.map((l) => ({
      key: l.key,
      title: l.title,
      releaseAt: l.releaseAt,
      local: formatLocal(l.releaseAt, cohort.timezone),
    })),
  };
}

@Injectable()
export class CohortsService implements OnModuleInit {
  constructor(
    private readonly cohorts: CohortsRepository,
    private readonly funnels: FunnelsService,
    private readonly outbox: OutboxService,
    private readonly hooks: DomainHooks,
    private readonly scopes: OrganizationScopes,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scopes.register('cohort', async (id) => (await this.cohorts.findById(id, ALL_ORGANIZATIONS))?.organizationId);
  }

  /**
   * Creates a draft cohort from a funnel version (the latest unless one is named) and pins it.
   * `organizationId`: the partner organisation creating it, which may use only its own funnels; a
   * cohort of a licensed clone belongs to the clone's organisation and license, and the license
   * feature may refuse it (outside the term or territory).
   */
  async create(dto: CreateCohortDto, createdBy: string, tenancy: Tenancy): Promise<CohortView> {
    if (dto.enrollmentOpensAt && dto.enrollmentClosesAt && dto.enrollmentClosesAt <= dto.enrollmentOpensAt) {
      throw new CohortRuleError('enrollmentClosesAt', 'must be after enrollmentOpensAt');
    }
    const attendance = { ...DEFAULT_ATTENDANCE_POLICY, ...dto.attendance };
    const attendanceProblem = validateAttendancePolicy(attendance);
    if (attendanceProblem) throw new CohortRuleError('attendance', attendanceProblem);
    if (dto.paidCohortId) await this.find(dto.paidCohortId, tenancy);
    const funnel = await this.funnels.get(dto.funnelId, tenancy);
    const version = dto.funnelVersion
      ? await this.funnels.getVersion(dto.funnelId, dto.funnelVersion, tenancy)
      : funnel.current;
    // An evergreen cohort's own schedule is only a template: each student's starts when they confirm.
    const startAt = dto.startAt ?? this.clock.now();
    const schedule = materializeSchedule(version.lessons, version.offer, startAt, dto.timezone);
    await this.hooks.run('cohort.proposed', { funnel, startAt, territory: dto.territory ?? null });
    // A draft sends nothing: opening it decides on a catch-up.
    if (!dto.evergreen) this.catchUpUntil(startAt, schedule.lessons, dto.catchUp ?? false);
    const cohort = await this.cohorts.insert({
      funnelId: dto.funnelId,
      funnelVersion: version.version,
      name: dto.name.trim(),
      status: 'draft',
      startAt,
      timezone: dto.timezone,
      releaseClock: dto.releaseClock ?? 'cohort',
      capacity: dto.capacity,
      reminderMinutesBefore: dto.reminderMinutesBefore ?? null,
      evergreen: dto.evergreen ?? false,
      enrollmentOpensAt: dto.enrollmentOpensAt ?? null,
      enrollmentClosesAt: dto.enrollmentClosesAt ?? null,
      lessons: schedule.lessons,
      offerDeadlineAt: schedule.offerDeadlineAt,
      attendance,
      completion: { ...DEFAULT_COMPLETION_RULE, ...dto.completion },
      paidCohortId: dto.paidCohortId ?? null,
      organizationId: funnel.organizationId,
      licenseId: funnel.source?.licenseId ?? null,
      territory: dto.territory ?? null,
      createdBy,
      createdAt: this.clock.now(),
    });
    return toView(cohort);
  }

  async get(id: string, tenancy: Tenancy): Promise<CohortView> {
    return toView(await this.find(id, tenancy));
  }

  async list(query: ListCohortsQuery, tenancy: Tenancy): Promise<CohortPage> {
    const limit = query.limit ?? 50;
    const items = await this.cohorts.listPage(
      {
        ...(query.funnelId ? { funnelId: query.funnelId } : {}),
        ...(query.status ? { status: query.status } : {}),
      },
      tenancy,
      limit,
      query.after,
    );
    return cursorPage(items, limit);
  }

  /** Cohorts in the given statuses, page by page (the scheduler's scan). */
  async *inStatus(status: CohortStatus): AsyncGenerator<CohortRecord[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.cohorts.listPage({ status }, ALL_ORGANIZATIONS, 200, after);
      if (page.length > 0) yield page;
      if (page.length < 200) return;
      after = page[page.length - 1].id;
    }
  }

  /** Every cohort run from a funnel (any version), page by page. */
  async *ofFunnel(funnelId: string): AsyncGenerator<CohortRecord[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.cohorts.listPage({ funnelId }, ALL_ORGANIZATIONS, 200, after);
      if (page.length > 0) yield page;
      if (page.length < 200) return;
      after = page[page.length - 1].id;
    }
  }

  /** Ids of the cohorts run under these licenses. */
  async idsUnderLicenses(licenseIds: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const licenseId of licenseIds) {
      let after: string | undefined;
      for (;;) {
        const page = await this.cohorts.listPage({ licenseId }, ALL_ORGANIZATIONS, 200, after);
        ids.push(...page.map((c) => c.id));
        if (page.length < 200) break;
        after = page[page.length - 1].id;
      }
    }
    return ids;
  }

  /** The funnel's cohort that takes sign-ups at `now` and starts first, if any. */
  async nextTakingSignUps(funnelId: string, now: Date): Promise<CohortRecord | null> {
    let best: CohortRecord | null = null;
    for await (const page of this.ofFunnel(funnelId)) {
      for (const cohort of page) {
        if (enrollmentRefusal(cohort, now)) continue;
        if (!best || cohort.startAt < best.startAt) best = cohort;
      }
    }
    return best;
  }

  /** Status changes the schedule makes: open -> running at the first lesson, running -> completed. */
  async advance(cohort: CohortRecord, to: 'running' | 'completed'): Promise<void> {
    if (canTransition(cohort.status, to))
      await this.cohorts.updateWhenStatus(cohort.id, [cohort.status], { status: to });
  }

  /** Opens sign-ups; a licensed cohort only while its license is in force. */
  async open(id: string, catchUp: boolean, tenancy: Tenancy): Promise<CohortView> {
    const cohort = await this.find(id, tenancy);
    await this.hooks.run('cohort.opening', { cohort });
    const catchUpUntil = cohort.evergreen ? null : this.catchUpUntil(cohort.startAt, cohort.lessons, catchUp);
    return this.transition(cohort, 'open', 'open', { catchUpUntil });
  }

  /**
   * Cancelling stops every message of the cohort not yet sent, at once; the scheduler then tells
   * the enrolled students (the cancellation notice is the one kind still allowed out).
   */
  async cancel(id: string, tenancy: Tenancy): Promise<CohortView> {
    const cohort = await this.find(id, tenancy);
    const cancelled = await this.transition(cohort, 'cancelled', 'cancel', { cancelledAt: this.clock.now() });
    await this.outbox.stopCohort(id, ['cancelled']);
    return cancelled;
  }

  /** Moves the start and recomputes every lesson from the pinned funnel version. */
  async reschedule(id: string, startAt: Date, catchUp: boolean, tenancy: Tenancy): Promise<CohortView> {
    const cohort = await this.find(id, tenancy);
    if (!canReschedule(cohort.status)) throw new CohortStatusError(id, cohort.status, 'reschedule');
    // The same start again changes nothing: no queued mail is rewritten, nobody is told of a move.
    if (startAt.getTime() === cohort.startAt.getTime() && !catchUp) return toView(cohort);
    const version = await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS);
    const schedule = materializeSchedule(version.lessons, version.offer, startAt, cohort.timezone);
    const catchUpUntil = cohort.evergreen ? null : this.catchUpUntil(startAt, schedule.lessons, catchUp);
    const updated = await this.cohorts.updateWhenStatus(id, ['draft', 'open'], {
      startAt,
      catchUpUntil,
      lessons: schedule.lessons,
      offerDeadlineAt: schedule.offerDeadlineAt,
      // Stored with the move itself, so the notice to confirmed students survives any crash after it.
      rescheduledAt: this.clock.now(),
    });
    if (!updated) throw new CohortStatusError(id, (await this.find(id, tenancy)).status, 'reschedule');
    // Scheduled mail already queued for the old times goes; the scheduler writes it anew.
    await this.outbox.cancelQueued(id, ['confirm', 'welcome', 'cancelled']);
    return toView(updated);
  }

  /**
   * Classes already due only when asked for; they then go out as one catch-up mail from this
   * instant (the returned catchUpUntil), not as a burst of lesson mails. Null: nothing is due yet.
   */
  private catchUpUntil(startAt: Date, lessons: ScheduledLesson[], catchUp: boolean): Date | null {
    const now = this.clock.now();
    const due = lessonsAlreadyDue(lessons, now);
    if (due.length === 0) return null;
    if (!catchUp) throw new CohortStartPassedError(startAt, due);
    return now;
  }

  private async transition(
    cohort: CohortRecord,
    to: CohortStatus,
    action: string,
    extra: { cancelledAt?: Date; catchUpUntil?: Date | null } = {},
  ): Promise<CohortView> {
    const id = cohort.id;
    if (!canTransition(cohort.status, to)) throw new CohortStatusError(id, cohort.status, action);
    const updated = await this.cohorts.updateWhenStatus(id, [cohort.status], { status: to, ...extra });
    if (!updated) throw new CohortStatusError(id, (await this.find(id, ALL_ORGANIZATIONS)).status, action);
    return toView(updated);
  }

  /**
   * Whether a cohort is within the tenancy: what makes its orders, homework and enrolments visible
   * to the caller. Platform staff and internal jobs see every cohort without a read.
   */
  async within(cohortId: string, tenancy: Tenancy): Promise<boolean> {
    if (tenancy.kind === 'all') return true;
    return (await this.cohorts.findById(cohortId, tenancy)) !== null;
  }

  /** A listing across cohorts narrowed to one of them: partner staff must name one of theirs. */
  async narrowTo(cohortId: string | undefined, tenancy: Tenancy): Promise<void> {
    if (tenancy.kind === 'all') return;
    if (!cohortId) throw new ScopeRequiredError('cohortId');
    await this.find(cohortId, tenancy);
  }

  /**
   * The stored cohort without the local-time rendering, for other modules. A cohort outside the
   * tenancy does not exist for the caller (404), exactly like an unknown one.
   */
  async find(id: string, tenancy: Tenancy): Promise<CohortRecord> {
    const cohort = await this.cohorts.findById(id, tenancy);
    if (!cohort) throw new NotFoundError('cohort', id);
    return cohort;
  }

  /** The funnel version a cohort is pinned to (versions never change, so any reader may cache it). */
  pinnedVersion(cohort: Pick<CohortRecord, 'funnelId' | 'funnelVersion'>): Promise<FunnelVersionRecord> {
    return this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS);
  }
}
