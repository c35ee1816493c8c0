import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { marked } from 'marked';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { Money } from '../common/money';
import { readTemplate, TEMPLATES_DIR } from '../common/template-files';
import { MESSAGE_KINDS, MessageData, RenderedMessage } from './message-kinds';
import { parseMessageTemplate } from './message-template.rules';

type Compiled = {
  subject: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  text: HandlebarsTemplateDelegate;
};

const FOOTER: Record<Locale, { reason: string; unsubscribe: string }> = {
  'zh-CN': { reason: '您收到这封邮件，是因为您报名了我们的课程。', unsubscribe: '退订' },
  en: { reason: 'You receive this email because you signed up for one of our courses.', unsubscribe: 'Unsubscribe' },
};

/** Money in minor units, shown in the reader's locale: 19900 CNY -> "¥199.00". */
export function formatMoney(money: Money, locale: Locale): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amount / 10 ** digits,
  );
}

/**
 * Renders every message kind in every locale from the files under templates/messages. One isolated
 * Handlebars instance, templates compiled once per process, strict mode (a missing variable is an
 * error, not an empty string), and HTML escaping of every value unless a template says otherwise.
 */
@Injectable()
export class MessageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, Compiled>();
  private readonly lessonBodies = new Map<string, HandlebarsTemplateDelegate>();
  private readonly layouts: { html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

  constructor() {
    this.handlebars.registerHelper('money', function (this: unknown, money: Money, options: Handlebars.HelperOptions) {
      return formatMoney(money, (options.data as { root: { locale: Locale } }).root.locale);
    });
    const compile = (source: string) => this.handlebars.compile(source, { strict: true });
    // Plain text and the subject header are not HTML: no entity escaping there.
    const compilePlain = (source: string) => this.handlebars.compile(source, { strict: true, noEscape: true });
    this.layouts = {
      html: compile(readTemplate('messages/layouts/email.html.hbs')),
      text: compilePlain(readTemplate('messages/layouts/email.text.hbs')),
    };
    const files = new Set(readdirSync(join(TEMPLATES_DIR, 'messages')));
    for (const kind of MESSAGE_KINDS) {
      for (const locale of SUPPORTED_LOCALES) {
        const file = `${kind}.${locale}.hbs`;
        if (!files.has(file)) throw new Error(`missing message template templates/messages/${file}`);
        const source = parseMessageTemplate(readTemplate(`messages/${file}`));
        this.templates.set(`${kind}.${locale}`, {
          subject: compilePlain(source.subject),
          html: compile(source.html),
          text: compilePlain(source.text),
        });
      }
    }
  }

  render(message: MessageData, locale: Locale): RenderedMessage {
    const template = this.templates.get(`${message.kind}.${locale}`) as Compiled;
    const context = { ...this.prepare(message), locale, footer: FOOTER[locale] };
    const subject = template.subject(context).replace(/\s+/g, ' ').trim();
    return {
      subject,
      html: this.layouts.html({ ...context, subject, content: template.html(context) }),
      text: this.layouts.text({ ...context, content: template.text(context) }).trim() + '\n',
    };
  }

  /** Lesson bodies are Markdown with handlebars variables: fill the variables (escaped), then Markdown. */
  private prepare(message: MessageData): object {
    if (message.kind !== 'lesson') return message.data;
    const { html, text } = this.renderLessonBody(message.data.lesson.body, message.data.student);
    return { ...message.data, lesson: { ...message.data.lesson, bodyText: text, bodyHtml: html } };
  }

  /** A lesson body (Markdown with handlebars variables) as HTML and as plain text, for mail and pages. */
  renderLessonBody(body: string, student: { name: string }): { html: string; text: string } {
    return {
      html: marked.parse(this.lessonBody(body, true)({ student }), { async: false }),
      text: this.lessonBody(body, false)({ student }),
    };
  }

  /** Compiled once per distinct body: a lesson goes to thousands of students in a row. */
  private lessonBody(source: string, escape: boolean): HandlebarsTemplateDelegate {
    const key = `${escape ? 'html' : 'text'}:${source}`;
    let compiled = this.lessonBodies.get(key);
    if (!compiled) {
      if (this.lessonBodies.size >= 500) this.lessonBodies.clear();
      compiled = this.handlebars.compile(source, { noEscape: !escape });
      this.lessonBodies.set(key, compiled);
    }
    return compiled;
  }
}
