import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { formatMoney, formatPrice, Money } from '../common/money';
import { shareText } from '../common/student-share';
import { sanitizeMailHtml } from '../common/safe-html';
import { templateErrorDetail, unescapedOutputs } from '../common/template-rules';
import { readTemplate, TEMPLATES_DIR } from '../common/template-files';
import { renderLessonBody } from '../funnels/lesson-body';
import { MESSAGE_KINDS, MessageData, MessageKind, RenderedMessage } from './message-kinds';
import { sampleMessage } from './message-samples';
import { calendarIcs, StudentCalendar } from './student-calendar';
import { MessageTemplateSource, parseMessageTemplate } from './message-template.rules';

export type CompiledTemplate = {
  subject: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
};

/** A template that does not compile or render; the message carries Handlebars' line (and column). */
export class TemplateError extends Error {
  constructor(
    readonly part: 'subject' | 'html' | 'text',
    detail: string,
  ) {
    super(`${part}: ${detail}`);
  }
}

/** Values the renderer produced itself (sanitised lesson HTML), the only ones written with {{{ }}}. */
const RENDERED_BY_US: ReadonlySet<string> = new Set(['lesson.bodyHtml', 'lesson.bodyText']);

const FOOTER: Record<Locale, { reason: string; unsubscribe: string }> = {
  'zh-CN': { reason: '您收到这封邮件，是因为您报名了我们的课程。', unsubscribe: '退订' },
  en: { reason: 'You receive this email because you signed up for one of our courses.', unsubscribe: 'Unsubscribe' },
};

/**
 * Renders every message kind in every locale from the files under templates/messages. One isolated
 * Handlebars instance, templates compiled once per process, strict mode (a missing variable is an
 * error, not an empty string), and HTML escaping of every value unless a template says otherwise.
 */
@Injectable()
export class MessageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly sources = new Map<string, MessageTemplateSource>();
  private readonly layouts: { html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

  constructor() {
    this.handlebars.registerHelper('money', function (this: unknown, money: Money, options: Handlebars.HelperOptions) {
      return formatMoney(money, (options.data as { root: { locale: Locale } }).root.locale);
    });
    // What a student pays: a price of zero reads "free" (免费). `money` stays for refunds and totals.
    this.handlebars.registerHelper('price', function (this: unknown, money: Money, options: Handlebars.HelperOptions) {
      return formatPrice(money, (options.data as { root: { locale: Locale } }).root.locale);
    });
    this.layouts = {
      html: this.compileHtml(readTemplate('messages/layouts/email.html.hbs')),
      text: this.compilePlain(readTemplate('messages/layouts/email.text.hbs')),
    };
    const files = new Set(readdirSync(join(TEMPLATES_DIR, 'messages')));
    for (const kind of MESSAGE_KINDS) {
      for (const locale of SUPPORTED_LOCALES) {
        const file = `${kind}.${locale}.hbs`;
        // At start-up (the renderer is built before requests are served): a broken install, not a request's fault.
        if (!files.has(file)) throw new Error(`missing message template templates/messages/${file}`);
        const source = parseMessageTemplate(readTemplate(`messages/${file}`));
        this.sources.set(`${kind}.${locale}`, source);
        this.templates.set(`${kind}.${locale}`, this.compile(source));
      }
    }
  }

  /** The built-in template source of a kind and locale (what an override replaces). */
  defaultSource(kind: MessageKind, locale: Locale): MessageTemplateSource {
    return this.sources.get(`${kind}.${locale}`) as MessageTemplateSource;
  }

  /**
   * Compiles an instructor's override and renders it once with sample data, so a template that does
   * not compile, or uses a variable the kind does not have, is refused when saved rather than when
   * mail goes out. Throws a TemplateError naming the part and the line.
   */
  compileOverride(kind: MessageKind, locale: Locale, source: MessageTemplateSource): CompiledTemplate {
    const compiled: Partial<CompiledTemplate> = {};
    for (const part of ['subject', 'html', 'text'] as const) {
      let unescaped;
      try {
        unescaped = unescapedOutputs(source[part], RENDERED_BY_US);
        compiled[part] = part === 'html' ? this.compileHtml(source[part]) : this.compilePlain(source[part]);
        compiled[part](this.contextOf(sampleMessage(kind, locale), locale));
      } catch (error) {
        throw new TemplateError(part, templateErrorDetail(error));
      }
      const [first] = unescaped;
      if (first) {
        throw new TemplateError(
          part,
          `line ${first.line}: {{{${first.expression}}}} would skip escaping a value a student may have typed; use {{${first.expression}}}`,
        );
      }
    }
    return compiled as CompiledTemplate;
  }

  /**
   * Renders with the built-in template, or with `override` (from compileOverride) when given. An
   * override's HTML is an instructor's: it is sanitised like Markdown output (no scripts, no
   * javascript: links, even from a value put into an href).
   */
  render(message: MessageData, locale: Locale, override?: CompiledTemplate): RenderedMessage {
    const template = override ?? this.templates.get(`${message.kind}.${locale}`);
    // The constructor compiled every kind in every supported locale, and both are typed: an invariant.
    if (!template) throw new Error(`no template for ${message.kind}.${locale}`);
    const context = this.contextOf(message, locale);
    const subject = template.subject(context).replace(/\s+/g, ' ').trim();
    const content = override ? sanitizeMailHtml(template.html(context)) : template.html(context);
    const calendar = (message.data as { calendar?: StudentCalendar }).calendar;
    return {
      subject,
      html: this.layouts.html({ ...context, subject, content }),
      text: this.layouts.text({ ...context, content: template.text(context) }).trim() + '\n',
      ...(calendar
        ? {
            attachments: [
              {
                filename: 'schedule.ics',
                contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
                content: calendarIcs(calendar),
              },
            ],
          }
        : {}),
    };
  }

  /** The template's variables: the message's data, its locale's footer and share block. */
  private contextOf(message: MessageData, locale: Locale) {
    const share = message.data.share;
    return {
      ...this.prepare(message),
      locale,
      footer: FOOTER[locale],
      shareBlock: share ? shareText(share, locale) : null,
    };
  }

  /** A lesson mail carries its body rendered (Markdown to sanitised HTML, and plain text). */
  private prepare(message: MessageData): object {
    if (message.kind !== 'lesson') return message.data;
    const { html, text } = renderLessonBody(message.data.lesson.body, message.data.student);
    return { ...message.data, lesson: { ...message.data.lesson, bodyText: text, bodyHtml: html } };
  }

  private compile(source: MessageTemplateSource): CompiledTemplate {
    return {
      subject: this.compilePlain(source.subject),
      html: this.compileHtml(source.html),
      text: this.compilePlain(source.text),
    };
  }

  private compileHtml(source: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(source, { strict: true });
  }

  /** Plain text and the subject header are not HTML: no entity escaping there. */
  private compilePlain(source: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(source, { strict: true, noEscape: true });
  }
}
