import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { formatMoney, Money } from '../common/money';
import { readTemplate } from '../common/template-files';
import { templateErrorDetail } from '../common/template-rules';
import { CHAT_POST_KINDS, ChatInline, ChatPost, ChatPostData, ChatPostKind } from './chat-post';

/** A chat template file: `title: ...` on the first line, a `--- body` section, an optional `--- action`. */
export interface ChatTemplateSource {
  title: string;
  body: string;
  action: string | null;
}

/** A chat template that does not parse, or renders to something a post cannot be. */
export class ChatTemplateError extends Error {}

/**
 * Splits a template file into its sections BEFORE any value is put in, so no value can open a
 * section of its own (a summary reading "--- action" is text).
 */
export function parseChatTemplate(source: string): ChatTemplateSource {
  const normalised = source.replace(/\r\n/g, '\n').trimEnd();
  const match = /^title:[ \t]*(.*)\n--- body\n([\s\S]*?)(?:\n--- action\n([\s\S]*))?$/.exec(normalised);
  if (!match) {
    throw new ChatTemplateError(
      'a chat template is "title: ..." then a "--- body" and an optional "--- action" section',
    );
  }
  return { title: match[1].trim(), body: match[2].trim(), action: match[3]?.trim() ?? null };
}

/**
 * What Handlebars' escapeExpression is to HTML, for our inline syntax: a backslash before each
 * character that can open markup (`\`, `*`, `[`, `]`, `(`, `)`), and a line break becomes a space,
 * so a value can neither make bold or a link nor start a paragraph. Applied to every string of the
 * data before rendering (the templates compile with noEscape).
 */
export function escapeInline(text: string): string {
  return text.replace(/\r\n|\n|\r/g, ' ').replace(/[\\*[\]()]/g, (c) => `\\${c}`);
}

function escapeValues(value: unknown): unknown {
  if (typeof value === 'string') return escapeInline(value);
  if (Array.isArray(value)) return value.map(escapeValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, escapeValues(inner)]));
  }
  return value;
}

/**
 * One rendered line in our inline syntax to runs: `**bold**`, `[label](https://url)`, `\x` for a
 * literal x. Markup left open (`**` without its pair) is a template mistake and throws; a `[` that
 * does not make a link is text.
 */
export function parseInline(line: string): ChatInline[] {
  const runs: ChatInline[] = [];
  let text = '';
  let bold = false;
  const flush = () => {
    if (!text) return;
    const previous = runs[runs.length - 1];
    // Neighbouring runs of the same kind are one run.
    if (previous && !('url' in previous) && Boolean(previous.bold) === bold) previous.text += text;
    else runs.push(bold ? { text, bold: true } : { text });
    text = '';
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      text += line[i + 1];
      i += 2;
    } else if (line.startsWith('**', i)) {
      flush();
      bold = !bold;
      i += 2;
    } else if (c === '[') {
      const link = readLink(line, i);
      if (!link) {
        text += c;
        i += 1;
        continue;
      }
      flush();
      if (link.label) runs.push({ text: link.label, url: link.url });
      i = link.end;
    } else {
      text += c;
      i += 1;
    }
  }
  if (bold) throw new ChatTemplateError(`"**" opened and not closed in: ${line}`);
  flush();
  return runs;
}

/** `[label](url)` at `start`, with escapes inside either part; null when it is not one. */
function readLink(line: string, start: number): { label: string; url: string; end: number } | null {
  const label = readUntil(line, start + 1, ']');
  if (!label || line[label.end] !== '(') return null;
  const url = readUntil(line, label.end + 1, ')');
  if (!url) return null;
  if (!/^https?:\/\/\S+$/.test(url.text)) throw new ChatTemplateError(`a link must be an http(s) URL: ${url.text}`);
  return { label: label.text, url: url.text, end: url.end };
}

function readUntil(line: string, from: number, close: string): { text: string; end: number } | null {
  let text = '';
  for (let i = from; i < line.length; i += 1) {
    if (line[i] === '\\' && i + 1 < line.length) {
      text += line[i + 1];
      i += 1;
    } else if (line[i] === close) {
      return { text, end: i + 1 };
    } else if (line[i] === '[' && close === ']') {
      return null;
    } else {
      text += line[i];
    }
  }
  return null;
}

interface CompiledChatTemplate {
  title: HandlebarsTemplateDelegate;
  body: HandlebarsTemplateDelegate;
  action: HandlebarsTemplateDelegate | null;
}

const BASE = 'https://course.example.com';

/**
 * Renders every chat post kind in every locale from templates/channels/<kind>.<locale>.hbs into the
 * neutral ChatPost the platform adapters format. One isolated Handlebars instance, each template
 * compiled once, strict (a missing variable throws), values escaped into our inline syntax.
 */
@Injectable()
export class ChatPostRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, CompiledChatTemplate>();

  constructor() {
    this.handlebars.registerHelper('money', function (this: unknown, money: Money, options: Handlebars.HelperOptions) {
      return escapeInline(formatMoney(money, (options.data as { root: { locale: Locale } }).root.locale));
    });
    for (const kind of CHAT_POST_KINDS) {
      for (const locale of SUPPORTED_LOCALES) {
        // At start-up: a missing or malformed file is a broken install, not a request's fault.
        const source = parseChatTemplate(readTemplate(`channels/${kind}.${locale}.hbs`));
        this.templates.set(`${kind}.${locale}`, {
          title: this.compile(source.title),
          body: this.compile(source.body),
          action: source.action === null ? null : this.compile(source.action),
        });
      }
    }
  }

  render(post: ChatPostData, locale: Locale): ChatPost {
    const template = this.templates.get(`${post.kind}.${locale}`);
    // The constructor compiled every kind in every supported locale, and both are typed: an invariant.
    if (!template) throw new Error(`no chat template for ${post.kind}.${locale}`);
    const context = { ...(escapeValues(post.data) as object), locale };
    const run = (section: 'title' | 'body' | 'action', delegate: HandlebarsTemplateDelegate): string => {
      try {
        return delegate(context);
      } catch (error) {
        // Strict mode: a value the data lacks names itself, with the template's line.
        throw new ChatTemplateError(`${post.kind}.${locale} ${section}: ${templateErrorDetail(error)}`);
      }
    };
    const titleRuns = parseInline(run('title', template.title).replace(/\s+/g, ' ').trim());
    if (titleRuns.some((run) => 'url' in run)) throw new ChatTemplateError('a title is plain text: no links');
    const lines = run('body', template.body)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map(parseInline)
      .filter((runs) => runs.length > 0);
    const rendered: ChatPost = {
      kind: post.kind,
      locale,
      title: titleRuns.map((run) => run.text).join(''),
      lines,
    };
    if (template.action) {
      const runs = parseInline(run('action', template.action).trim());
      const [link] = runs;
      if (runs.length !== 1 || !link || !('url' in link)) {
        throw new ChatTemplateError('the action section is one link: [label](url)');
      }
      rendered.action = { label: link.text, url: link.url };
    }
    return rendered;
  }

  /** Realistic data for each kind, for the console's preview and the tests. */
  sample(kind: ChatPostKind, locale: Locale): ChatPostData {
    const zh = locale === 'zh-CN';
    const cohort = { name: zh ? '3 + 4 家庭教育训练营 · 三月班' : '3 + 4 Parenting Bootcamp · March' };
    const lesson = { number: 2, title: zh ? '情绪来了怎么办' : 'When feelings run high' };
    const links = { lesson: `${BASE}/g/c-march/lesson/2` };
    const zone = 'Asia/Shanghai';
    switch (kind) {
      case 'opening':
        return {
          kind,
          data: {
            cohort,
            lesson: { ...lesson, startsLocal: '2026-03-02 20:00', zone },
            checkIn: { opensLocal: '2026-03-02 19:45', closesLocal: '2026-03-02 21:30' },
            links,
          },
        };
      case 'released':
        return {
          kind,
          data: {
            cohort,
            lesson: {
              ...lesson,
              summary: zh
                ? '孩子发脾气时，先接住情绪，再讲道理。'
                : 'When a child melts down, meet the feeling first; the lesson can wait.',
            },
            links,
          },
        };
      case 'homework':
        return { kind, data: { cohort, lesson: { ...lesson, dueLocal: '2026-03-04 22:00', zone }, links } };
      case 'offer':
        return {
          kind,
          data: {
            cohort,
            offer: {
              courseName: zh ? '21 天家庭教育陪伴营' : '21-Day Parenting Coaching',
              listPrice: { amount: 19900, currency: 'CNY' },
              deadlineLocal: '2026-03-10 23:59',
              zone,
            },
          },
        };
      case 'milestone':
        return { kind, data: { cohort, lesson, milestone: { checkedIn: 30 } } };
      case 'test':
        return { kind, data: { cohort, channel: { name: zh ? '三月班家长群' : 'March parents’ group' } } };
    }
  }

  private compile(source: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(source, { strict: true, noEscape: true });
  }
}
