import { Body, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, tenancyOf } from '../auth/organization-scope';
import { DomainError } from '../common/domain-error';
import { ObjectIdParam } from '../common/object-id.param';
import { validateDto } from '../common/validation';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { isFreeLesson } from '../funnels/funnel-content';
import { CohortNoteParams, HideNoteDto, NOTE_STATES } from '../notes/dto/notes.dto';
import { NotesService, StaffNote } from '../notes/notes.service';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { oneOf, PostedForm, textOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/** Notes per class on the overview; one class (`?lesson=`) pages through all of its notes. */
const OVERVIEW = 10;
const PAGE = 50;

interface ListQuery {
  lesson?: unknown;
  state?: unknown;
  after?: unknown;
}

/**
 * A cohort's notes wall in the console: the notes students shared, class by class, each visible
 * one with a form to hide it (with a reason), each hidden one with its reason, who and when, and a
 * button to show it again. The work is NotesService's, as on the API.
 */
@ConsoleController('console/cohorts')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('cohort')
export class ConsoleNotesController {
  constructor(
    private readonly notes: NotesService,
    private readonly cohorts: CohortsService,
    private readonly enrollments: EnrollmentsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get(':id/notes')
  show(@Param() { id }: ObjectIdParam, @Query() query: ListQuery, @Frame() frame: ConsoleFrame): Promise<string> {
    return this.render(frame, id, query, {}, {});
  }

  @Post(':id/notes/:noteId/hide')
  async hide(
    @Param() { id, noteId }: CohortNoteParams,
    @Query() query: ListQuery,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ): Promise<void> {
    const field = `reason-${noteId}`;
    const refuse = async (errors: string[]) => {
      // At the note's own field, and in the alert above (the note may be on another page of the list).
      const page = await this.render(
        frame,
        id,
        query,
        { [field]: errors, _form: errors },
        { [field]: textOf(form, field) },
      );
      res.status(HttpStatus.BAD_REQUEST).send(page);
    };
    const checked = await validateDto(HideNoteDto, { reason: textOf(form, field) });
    if (!checked.ok) return refuse(checked.fields.flatMap((f) => f.errors));
    try {
      await this.notes.hide(id, noteId, checked.value.reason, frame.staff!, tenancyOf(frame.staff!));
    } catch (error) {
      if (error instanceof DomainError && error.extra.fields)
        return refuse(error.extra.fields.flatMap((f) => f.errors));
      throw error;
    }
    res.redirect(HttpStatus.SEE_OTHER, `${this.here(frame, id, query)}#note-${noteId}`);
  }

  @Post(':id/notes/:noteId/unhide')
  async unhide(
    @Param() { id, noteId }: CohortNoteParams,
    @Query() query: ListQuery,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ): Promise<void> {
    await this.notes.unhide(id, noteId, frame.staff!, tenancyOf(frame.staff!));
    res.redirect(HttpStatus.SEE_OTHER, `${this.here(frame, id, query)}#note-${noteId}`);
  }

  private async render(
    frame: ConsoleFrame,
    id: string,
    query: ListQuery,
    errors: Record<string, string[]>,
    values: Record<string, string>,
  ): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const cohort = await this.cohorts.find(id, tenancy);
    const version = await this.cohorts.pinnedVersion(cohort);
    const lessons = version.lessons.filter(isFreeLesson);
    const lesson = oneOf(
      lessons.map((l) => l.key),
      query.lesson,
    );
    const state = oneOf(NOTE_STATES, query.state) ?? 'all';
    const after = typeof query.after === 'string' && query.after.length <= 60 ? query.after : undefined;
    const text = this.renderer.text(frame.locale);
    const t = text.notes;
    const base = `${frame.root}/cohorts/${id}/notes`;
    const listing = (params: Record<string, string>) => `${base}?${new URLSearchParams(params).toString()}`;
    const filter = { ...(lesson ? { lesson } : {}), ...(state !== 'all' ? { state } : {}) };
    const formQuery = new URLSearchParams(filter).toString();
    const names = new Map<string, string>();
    const nameOf = async (enrollmentId: string) => {
      if (!names.has(enrollmentId)) names.set(enrollmentId, (await this.enrollments.find(enrollmentId)).name);
      return names.get(enrollmentId)!;
    };
    const row = async (n: StaffNote) => ({
      id: n.id,
      author: n.author ?? t.classmate,
      student: await nameOf(n.enrollmentId),
      text: n.text ?? '',
      when: formatLocal(n.sharedAt, cohort.timezone, frame.locale),
      hidden: n.state === 'hidden',
      hiding: n.hiding && { ...n.hiding, when: formatLocal(n.hiding.at, cohort.timezone, frame.locale) },
      reasonField: `reason-${n.id}`,
      reasonValue: values[`reason-${n.id}`] ?? '',
      hideAction: `${base}/${n.id}/hide${formQuery ? `?${formQuery}` : ''}`,
      unhideAction: `${base}/${n.id}/unhide${formQuery ? `?${formQuery}` : ''}`,
    });
    const shown = lesson ? lessons.filter((l) => l.key === lesson) : lessons;
    const sections = await Promise.all(
      shown.map(async (l) => {
        const page = await this.notes.list(
          id,
          { lessonKey: l.key, state, limit: lesson ? PAGE : OVERVIEW, ...(lesson && after ? { after } : {}) },
          tenancy,
        );
        return {
          key: l.key,
          title: l.title,
          notes: await Promise.all(page.items.map(row)),
          more: page.next
            ? listing({ lesson: l.key, ...(state !== 'all' ? { state } : {}), ...(lesson ? { after: page.next } : {}) })
            : null,
          newest: lesson && after ? listing({ lesson: l.key, ...(state !== 'all' ? { state } : {}) }) : null,
        };
      }),
    );
    return this.renderer.page(frame, 'cohorts', `${t.title} · ${cohort.name}`, 'notes', {
      cohort,
      back: `${frame.root}/cohorts/${id}`,
      action: base,
      sections,
      filters: {
        lessons: [{ value: '', label: t.allClasses }, ...lessons.map((l) => ({ value: l.key, label: l.title }))],
        states: NOTE_STATES.map((s) => ({ value: s, label: t.states[s] })),
        lesson: lesson ?? '',
        state,
      },
      single: !!lesson,
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });
  }

  private here(frame: ConsoleFrame, id: string, query: ListQuery): string {
    const lesson = typeof query.lesson === 'string' ? query.lesson : undefined;
    const state = oneOf(NOTE_STATES, query.state);
    const params = new URLSearchParams({ ...(lesson ? { lesson } : {}), ...(state ? { state } : {}) }).toString();
    return `${frame.root}/cohorts/${id}/notes${params ? `?${params}` : ''}`;
  }
}
