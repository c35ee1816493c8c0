import { Body, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { DomainError } from '../common/domain-error';
import { SUPPORTED_LOCALES } from '../common/locale';
import { ObjectIdParam } from '../common/object-id.param';
import { FieldError, validateDto } from '../common/validation';
import { FunnelContentDto } from '../funnels/dto/funnel-content.dto';
import { LESSON_PHASES } from '../funnels/funnel-content';
import { funnelChanges } from '../funnels/funnel-diff.rules';
import { InvalidFunnelContentError } from '../funnels/funnels.errors';
import { FunnelsService } from '../funnels/funnels.service';
import { lessonBodyProblems, renderLessonBody } from '../funnels/lesson-body';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import {
  errorsByField,
  FunnelFields,
  funnelFieldNames,
  funnelFieldsFrom,
  funnelFieldsOf,
  funnelInputOf,
  newFunnelFields,
  PostedForm,
  textOf,
} from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/** The form names of a lesson's fields (`n.title` -> `lessons.0.title`), for the template. */
const LESSON_FIELDS = [
  ['lesson', ''],
  ['key', 'key'],
  ['phase', 'phase'],
  ['title', 'title'],
  ['body', 'body'],
  ['after', 'release.after'],
  ['at', 'release.at'],
  ['prompt', 'homework.prompt'],
  ['dueAfter', 'homework.dueAfter'],
  ['maxScore', 'homework.maxScore'],
  ['passScore', 'homework.passScore'],
  ['rubric', 'homework.rubric'],
] as const;

/** What a preview shows: the body rendered for a sample student, or why it cannot be. */
function previewOf(body: string): { html: string | null; problems: string[] } {
  const problems = lessonBodyProblems(body);
  return problems.length > 0
    ? { html: null, problems }
    : { html: renderLessonBody(body, { name: 'Sample Student' }).html, problems };
}

/**
 * Funnel templates in the console: the list, a funnel's versions with what each changed, and the
 * funnel as a form (new, or edited into the next version). The form's own buttons add and remove
 * lessons and preview a body, so it works without script; with htmx the preview follows typing.
 */
@ConsoleController('console/funnels')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('funnel')
export class ConsoleFunnelsController {
  constructor(
    private readonly funnels: FunnelsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get()
  @ScopedByCaller()
  async list(@Frame() frame: ConsoleFrame): Promise<string> {
    const funnels = await this.funnels.list(tenancyOf(frame.staff!));
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'funnels', text.funnels.title, 'funnels', {
      funnels: funnels.map((f) => ({ ...f, saved: formatLocal(f.updatedAt, 'UTC', frame.locale) })),
      mayCreate: frame.staff!.role !== 'partner',
    });
  }

  @Get('new')
  @ConsoleStaff('instructor')
  @ScopedByCaller()
  newFunnel(@Frame() frame: ConsoleFrame): string {
    return this.form(frame, null, newFunnelFields(frame.locale), [], null);
  }

  /** Preview of one lesson body (htmx swaps it in; the form's preview button renders it in place). */
  @Post('preview')
  @ScopedByCaller()
  preview(@Body() form: PostedForm, @Frame() frame: ConsoleFrame): string {
    const name = Object.keys(form).find((key) => /^lessons\.\d+\.body$/.test(key)) ?? 'body';
    return this.renderer.fragment(frame, 'partials/preview', { preview: previewOf(textOf(form, name)) });
  }

  @Post()
  @ConsoleStaff('instructor')
  @ScopedByCaller()
  async create(@Body() form: PostedForm, @Res() res: Response, @Frame() frame: ConsoleFrame): Promise<void> {
    await this.save(frame, null, form, res, async (content) => {
      const created = await this.funnels.create(content, frame.staff!.tokenId);
      return created.id;
    });
  }

  @Get(':id')
  async show(
    @Param() { id }: ObjectIdParam,
    @Query('version') version: unknown,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const funnel = await this.funnels.get(id, tenancy);
    const chosen =
      typeof version === 'string' && /^\d{1,6}$/.test(version)
        ? Math.min(Number(version), funnel.latestVersion)
        : funnel.latestVersion;
    const shown = chosen === funnel.latestVersion ? funnel.current : await this.funnels.getVersion(id, chosen, tenancy);
    const previous = chosen > 1 ? await this.funnels.getVersion(id, chosen - 1, tenancy) : null;
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'funnels', shown.name, 'funnel', {
      funnel,
      shown,
      saved: formatLocal(shown.createdAt, 'UTC', frame.locale),
      versions: Array.from({ length: funnel.latestVersion }, (_, i) => funnel.latestVersion - i).map((v) => ({
        version: v,
        current: v === chosen,
      })),
      changes: previous ? funnelChanges(previous, shown) : null,
      previousVersion: previous?.version ?? null,
      lessons: shown.lessons.map((l) => ({ ...l, phaseText: text.phases[l.phase] })),
    });
  }

  @Get(':id/edit')
  async edit(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): Promise<string> {
    const funnel = await this.funnels.get(id, tenancyOf(frame.staff!));
    return this.form(frame, funnel.id, funnelFieldsOf(funnel.current), [], null);
  }

  @Post(':id/versions')
  async addVersion(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    await this.save(frame, id, form, res, async (content) => {
      await this.funnels.addVersion(id, content, frame.staff!.tokenId, tenancyOf(frame.staff!));
      return id;
    });
  }

  /**
   * Saves the form, or shows it again: after its own buttons (add/remove a lesson, preview), or
   * with the API's field errors in place, from validation or the funnel rules.
   */
  private async save(
    frame: ConsoleFrame,
    funnelId: string | null,
    form: PostedForm,
    res: Response,
    store: (content: FunnelContentDto) => Promise<string>,
  ): Promise<void> {
    const action = textOf(form, '_action');
    const remove = /^remove:(\d+)$/.exec(action)?.[1];
    const previewIndex = /^preview:(\d+)$/.exec(action)?.[1];
    const fields = funnelFieldsFrom(form, {
      add: action === 'add',
      ...(remove !== undefined ? { remove: Number(remove) } : {}),
    });
    if (action) {
      const preview =
        previewIndex !== undefined
          ? { index: Number(previewIndex), ...previewOf(fields.lessons[Number(previewIndex)]?.body ?? '') }
          : null;
      res.send(this.form(frame, funnelId, fields, [], preview));
      return;
    }
    const checked = await validateDto(FunnelContentDto, funnelInputOf(fields));
    let problems: FieldError[] = checked.ok ? [] : checked.fields;
    if (checked.ok) {
      try {
        const id = await store(checked.value);
        res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/funnels/${id}`);
        return;
      } catch (error) {
        if (
          !(error instanceof InvalidFunnelContentError) &&
          !(error instanceof DomainError && error.kind === 'conflict')
        )
          throw error;
        problems =
          error instanceof InvalidFunnelContentError ? error.problems : [{ field: '_form', errors: [error.message] }];
      }
    }
    res.status(HttpStatus.BAD_REQUEST).send(this.form(frame, funnelId, fields, problems, null));
  }

  private form(
    frame: ConsoleFrame,
    funnelId: string | null,
    fields: FunnelFields,
    problems: FieldError[],
    preview: { index: number; html: string | null; problems: string[] } | null,
  ): string {
    const text = this.renderer.text(frame.locale);
    const errors = errorsByField(problems, funnelFieldNames(fields));
    return this.renderer.page(
      frame,
      'funnels',
      funnelId ? fields.name || text.funnelForm.title : text.funnelForm.title,
      'funnel-form',
      {
        action: funnelId ? `${frame.root}/funnels/${funnelId}/versions` : `${frame.root}/funnels`,
        funnelId,
        fields: {
          ...fields,
          lessons: fields.lessons.map((lesson) => ({
            ...lesson,
            number: lesson.index + 1,
            preview: preview?.index === lesson.index ? preview : null,
            n: Object.fromEntries(
              LESSON_FIELDS.map(([short, path]) => [short, `lessons.${lesson.index}${path ? `.${path}` : ''}`]),
            ),
          })),
        },
        errors,
        hasErrors: problems.length > 0,
        locales: SUPPORTED_LOCALES.map((l) => ({ value: l, label: l })),
        phases: LESSON_PHASES.map((p) => ({ value: p, label: text.phases[p] })),
        previewUrl: `${frame.root}/funnels/preview`,
      },
    );
  }
}
