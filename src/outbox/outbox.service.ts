import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { NotFoundError } from '../common/domain-error';
import { OutboxError } from './outbox.errors';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { OutboxKind } from '../messages/message-kinds';
import { OutboxStatus } from './outbox-message.schema';
import { NewOutboxMessage } from '../messages/outgoing-message';
import { OutboxRecord, OutboxRepository } from './outbox.repository';
import { OutboxTallyRepository } from './outbox-tally.repository';
import { OutboxCounts, tallyOutbox } from './outbox.rules';

/** Writing to the outbox (for the features that send mail) and the staff view of it. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly tallies: OutboxTallyRepository,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  /** Adds messages whose idempotency keys are new; returns how many were new. */
  enqueue(messages: NewOutboxMessage[]): Promise<number> {
    return this.outbox.enqueue(messages, this.options.outbox.maxAttempts, this.clock.now());
  }

  /**
   * Nothing more goes to this student: queued mail is cancelled and later mail is refused at send
   * time. Only a confirmation request still goes out, when they sign up again themselves. Queued
   * mail is found through the student's cohorts (every student message belongs to a cohort), so the
   * outbox needs no index of its own on students: each index costs every status write.
   */
  async stopStudent(studentId: string, cohortIds: string[]): Promise<void> {
    await this.outbox.suppress(`student:${studentId}`, ['confirm'], this.clock.now());
    for (const cohortId of new Set(cohortIds)) {
      await this.outbox.cancelPending({ cohortId, studentId }, ['confirm'], this.clock.now());
    }
  }

  /** Cancels a cohort's queued mail except the kinds named (e.g. when its schedule moves). */
  cancelQueued(cohortId: string, exceptKinds: OutboxKind[]): Promise<number> {
    return this.outbox.cancelPending({ cohortId }, exceptKinds, this.clock.now());
  }

  /** The student confirmed a new sign-up: mail to them may flow again. */
  resumeStudent(studentId: string): Promise<void> {
    return this.outbox.unsuppress(`student:${studentId}`);
  }

  /** Nothing more goes out for this cohort, except the kinds named (its cancellation notice). */
  async stopCohort(cohortId: string, exceptKinds: OutboxKind[]): Promise<void> {
    await this.outbox.suppress(`cohort:${cohortId}`, exceptKinds, this.clock.now());
    await this.outbox.cancelPending({ cohortId }, exceptKinds, this.clock.now());
  }

  async list(query: {
    status?: OutboxStatus;
    cohortId?: string;
    limit?: number;
    after?: string;
  }): Promise<CursorPage<OutboxRecord>> {
    const limit = query.limit ?? 50;
    const items = await this.outbox.listPage(
      { ...(query.status ? { status: query.status } : {}), ...(query.cohortId ? { cohortId: query.cohortId } : {}) },
      limit,
      query.after,
    );
    return cursorPage(items, limit);
  }

  /** How many messages are pending, sent, dead and cancelled, per cohort and kind (from tallies: a few small reads). */
  async counts(filter: { cohortId?: string; kind?: OutboxKind }): Promise<OutboxCounts> {
    return tallyOutbox(await this.tallies.counts(filter));
  }

  async get(id: string): Promise<OutboxRecord> {
    const message = await this.outbox.findById(id);
    if (!message) throw new NotFoundError('outbox_message', id);
    return message;
  }

  /** Sends a dead letter again (after the cause, e.g. a bad address, was fixed). */
  async retry(id: string): Promise<OutboxRecord> {
    const message = await this.get(id);
    if (message.status !== 'dead') {
      throw new OutboxError('not_dead_lettered', `outbox message ${id} is ${message.status}, not dead`);
    }
    const revived = await this.outbox.revive(id, this.options.outbox.maxAttempts, this.clock.now());
    return revived ?? (await this.get(id));
  }
}
