import { DateTime } from 'luxon';
import { FieldError } from '../common/validation';
import { FunnelContent, LessonPhase } from '../funnels/funnel-content';
import { Locale } from '../common/locale';

/**
 * Console forms post flat text fields (`lessons.0.title`); these pure functions turn them into the
 * API's DTO shapes, so the API's validation judges them, and back into form values to show again.
 * A value that is not what the DTO wants is passed on as typed: the validator then names the field.
 */

/** A posted form: urlencoded fields, a repeated name arriving as a list. */
export type PostedForm = Record<string, string | string[] | undefined>;

/**
 * A query or form value that must be one of `values` (a filter, a kind), else undefined: a
 * hand-edited URL falls back to the page's default instead of an error.
 */
export function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return (values as readonly unknown[]).includes(value) ? (value as T) : undefined;
}

/** A query value that is an object id (a cursor, a cohort filter), else undefined. */
export function objectIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-f0-9]{24}$/.test(value) ? value : undefined;
}

/** One field's text (the last, if it was sent twice), trimmed. */
export function textOf(form: PostedForm, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? (value.at(-1) ?? '') : (value ?? '')).trim();
}

/** The text, or nothing when the field was left empty (an optional field). */
function optional(form: PostedForm, name: string): string | undefined {
  return textOf(form, name) || undefined;
}

/** An integer field: a number when it is one, else the text as typed (for the validator to refuse). */
export function integerOf(text: string): number | string | undefined {
  if (text === '') return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Digits after the point in a currency's minor unit (CNY 2, JPY 0). */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "199.00" CNY -> 19900: staff type major units; money is stored in minor units. */
export function minorUnitsOf(text: string, currency: string): number | string {
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text.replace(/[\s¥$€£]/g, ''));
  if (!match || (match[2] ?? '').length > digits) return text;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
}

/** 19900 CNY -> "199.00", for a form showing stored money again. */
export function majorUnitsOf(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? String(amount) : (amount / 10 ** digits).toFixed(digits);
}

/**
 * A `datetime-local` value ("2027-03-01T20:00") read as a wall time in `zone`, as an ISO instant
 * with its offset; anything else is passed on as typed.
 */
export function instantInZone(local: string, zone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return local;
  const at = DateTime.fromISO(local, { zone });
  return at.isValid ? (at.toISO({ suppressMilliseconds: true }) ?? local) : local;
}

/** An instant as the `datetime-local` value of a wall time in `zone`. */
export function localInputOf(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/**
 * Field errors grouped by the form field that shows them: an error on `offer.listPrice.amount` or
 * `lessons.0.homework.rubric.1.points` lands on the longest field name it starts with. What no
 * field shows is listed under `_form`, at the top of the form.
 */
export function errorsByField(fields: FieldError[], names: readonly string[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const { field, errors } of fields) {
    const owner =
      names.filter((name) => field === name || field.startsWith(`${name}.`)).sort((a, b) => b.length - a.length)[0] ??
      '_form';
    (byField[owner] ??= []).push(...errors.map((error) => (owner === '_form' ? `${field}: ${error}` : error)));
  }
  return byField;
}

/** The cohort form as CreateCohortDto's plain shape. */
export function cohortInputOf(form: PostedForm): Record<string, unknown> {
  const timezone = textOf(form, 'timezone');
  return {
    funnelId: textOf(form, 'funnelId'),
    name: textOf(form, 'name'),
    startAt: instantInZone(textOf(form, 'startAt'), timezone),
    timezone,
    capacity: integerOf(textOf(form, 'capacity')) ?? '',
    releaseClock: optional(form, 'releaseClock'),
    reminderMinutesBefore: integerOf(textOf(form, 'reminderMinutesBefore')),
  };
}

/** The cohort form's fields, for errors in place. */
export const COHORT_FIELDS = [
  'funnelId',
  'name',
  'startAt',
  'timezone',
  'capacity',
  'releaseClock',
  'reminderMinutesBefore',
];

/** One lesson as the form shows it (every value text). */
export interface LessonFields {
  index: number;
  key: string;
  phase: LessonPhase | '';
  title: string;
  body: string;
  after: string;
  at: string;
  homework: { prompt: string; dueAfter: string; maxScore: string; passScore: string; rubric: string };
}

/** The funnel form as it shows: the values of a version, or what was posted. */
export interface FunnelFields {
  name: string;
  defaultLocale: Locale | '';
  lessons: LessonFields[];
  offer: {
    courseName: string;
    description: string;
    listPrice: string;
    currency: string;
    openAfter: string;
    deadlineAfter: string;
    priceTiers: string;
  };
}

const emptyLesson = (index: number): LessonFields => ({
  index,
  key: `l${index + 1}`,
  phase: 'value',
  title: '',
  body: '',
  after: index === 0 ? 'PT0S' : `P${index}D`,
  at: '',
  homework: { prompt: '', dueAfter: 'P1D', maxScore: '10', passScore: '6', rubric: '' },
});

/** A new funnel's form: one lesson, an offer in CNY. */
export function newFunnelFields(locale: Locale): FunnelFields {
  return {
    name: '',
    defaultLocale: locale,
    lessons: [emptyLesson(0)],
    offer: {
      courseName: '',
      description: '',
      listPrice: '',
      currency: 'CNY',
      openAfter: 'PT2H',
      deadlineAfter: 'P3D',
      priceTiers: '',
    },
  };
}

/** A stored version as form values (to edit it into the next version). */
export function funnelFieldsOf(content: FunnelContent): FunnelFields {
  const { offer } = content;
  const currency = offer.listPrice.currency;
  return {
    name: content.name,
    defaultLocale: content.defaultLocale,
    lessons: content.lessons.map((lesson, index) => ({
      index,
      key: lesson.key,
      phase: lesson.phase,
      title: lesson.title,
      body: lesson.body,
      after: lesson.release.after,
      at: lesson.release.at ?? '',
      homework: lesson.homework
        ? {
            prompt: lesson.homework.prompt,
            dueAfter: lesson.homework.dueAfter,
            maxScore: String(lesson.homework.maxScore),
            passScore: String(lesson.homework.passScore),
            rubric: lesson.homework.rubric.map((c) => `${c.key} | ${c.name} | ${c.points}`).join('\n'),
          }
        : { ...emptyLesson(index).homework },
    })),
    offer: {
      courseName: offer.courseName,
      description: offer.description ?? '',
      listPrice: majorUnitsOf(offer.listPrice.amount, currency),
      currency,
      openAfter: offer.openAfter ?? '',
      deadlineAfter: offer.deadlineAfter,
      priceTiers: (offer.priceTiers ?? [])
        .map((tier) => `${tier.minReferrals} | ${majorUnitsOf(tier.price.amount, tier.price.currency)}`)
        .join('\n'),
    },
  };
}

/** What was posted, as form values; `add`/`remove` change the lessons (the form's own buttons). */
export function funnelFieldsFrom(form: PostedForm, change?: { add?: boolean; remove?: number }): FunnelFields {
  const indexes = [
    ...new Set(
      Object.keys(form)
        .map((name) => /^lessons\.(\d+)\./.exec(name)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  const lessons = indexes
    .filter((i) => i !== change?.remove)
    .map((i, index): LessonFields => {
      const at = (field: string) => textOf(form, `lessons.${i}.${field}`);
      return {
        index,
        key: at('key'),
        phase: at('phase') as LessonPhase,
        title: at('title'),
        body: textOf(form, `lessons.${i}.body`),
        after: at('release.after'),
        at: at('release.at'),
        homework: {
          prompt: at('homework.prompt'),
          dueAfter: at('homework.dueAfter'),
          maxScore: at('homework.maxScore'),
          passScore: at('homework.passScore'),
          rubric: at('homework.rubric'),
        },
      };
    });
  if (change?.add) lessons.push(emptyLesson(lessons.length));
  return {
    name: textOf(form, 'name'),
    defaultLocale: textOf(form, 'defaultLocale') as Locale,
    lessons,
    offer: {
      courseName: textOf(form, 'offer.courseName'),
      description: textOf(form, 'offer.description'),
      listPrice: textOf(form, 'offer.listPrice'),
      currency: textOf(form, 'offer.currency').toUpperCase(),
      openAfter: textOf(form, 'offer.openAfter'),
      deadlineAfter: textOf(form, 'offer.deadlineAfter'),
      priceTiers: textOf(form, 'offer.priceTiers'),
    },
  };
}

/** Lines of `a | b | c`, each split and trimmed; blank lines skipped. */
function rows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split('|').map((cell) => cell.trim()));
}

/** The form's values as FunnelContentDto's plain shape. A lesson's homework is set when it has a prompt. */
export function funnelInputOf(fields: FunnelFields): Record<string, unknown> {
  const currency = fields.offer.currency;
  return {
    name: fields.name,
    defaultLocale: fields.defaultLocale,
    lessons: fields.lessons.map((lesson) => ({
      key: lesson.key,
      phase: lesson.phase,
      title: lesson.title,
      body: lesson.body,
      release: { after: lesson.after, ...(lesson.at ? { at: lesson.at } : {}) },
      ...(lesson.homework.prompt
        ? {
            homework: {
              prompt: lesson.homework.prompt,
              dueAfter: lesson.homework.dueAfter,
              maxScore: integerOf(lesson.homework.maxScore) ?? '',
              passScore: integerOf(lesson.homework.passScore) ?? '',
              rubric: rows(lesson.homework.rubric).map(([key = '', name = '', points = '']) => ({
                key,
                name,
                points: integerOf(points) ?? '',
              })),
              latePolicy: { kind: 'refuse' },
              resubmitBeforeGrading: true,
            },
          }
        : {}),
    })),
    offer: {
      courseName: fields.offer.courseName,
      listPrice: { amount: minorUnitsOf(fields.offer.listPrice, currency), currency },
      ...(fields.offer.description ? { description: fields.offer.description } : {}),
      ...(fields.offer.openAfter ? { openAfter: fields.offer.openAfter } : {}),
      deadlineAfter: fields.offer.deadlineAfter,
      priceTiers: rows(fields.offer.priceTiers).map(([referrals = '', price = '']) => ({
        minReferrals: integerOf(referrals) ?? '',
        price: { amount: minorUnitsOf(price, currency), currency },
      })),
    },
  };
}

/** Every field name of the funnel form as posted, for errors in place. */
export function funnelFieldNames(fields: FunnelFields): string[] {
  const lessonFields = ['key', 'phase', 'title', 'body', 'release.after', 'release.at', 'homework.prompt'];
  const homeworkFields = ['homework.dueAfter', 'homework.maxScore', 'homework.passScore', 'homework.rubric'];
  return [
    'name',
    'defaultLocale',
    'lessons',
    ...fields.lessons.flatMap((l) =>
      [...lessonFields, ...homeworkFields, ''].map((f) => `lessons.${l.index}${f ? `.${f}` : ''}`),
    ),
    'offer.courseName',
    'offer.description',
    'offer.listPrice',
    'offer.openAfter',
    'offer.deadlineAfter',
    'offer.priceTiers',
  ];
}
