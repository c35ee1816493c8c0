import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Locale } from '../common/locale';
import { formatMoney, Money } from '../common/money';
import { readTemplate, TEMPLATES_DIR } from '../common/template-files';
import { StaffPrincipal } from '../auth/access.decorators';
import { CONSOLE_TEXT, ConsoleText } from './console-text';

/** What every console page knows: who is signed in, in which language, and the form token. */
export interface ConsoleFrame {
  locale: Locale;
  /** The console's root path (`/console`, or under the host's route prefix). */
  root: string;
  /** The path of this page, for the language switch to come back to. */
  here: string;
  staff: StaffPrincipal | null;
  csrfToken: string | null;
}

/** The section of the navigation a page belongs to (highlighted, with aria-current). */
export type ConsoleSection = 'home' | 'funnels' | 'cohorts' | 'grading' | 'outbox' | 'partners' | 'licenses' | null;

const NAV: { section: Exclude<ConsoleSection, null>; path: string; notForPartners?: boolean; adminOnly?: boolean }[] = [
  { section: 'home', path: '' },
  { section: 'funnels', path: '/funnels' },
  { section: 'cohorts', path: '/cohorts' },
  { section: 'grading', path: '/grading' },
  { section: 'outbox', path: '/outbox', notForPartners: true },
  { section: 'licenses', path: '/licenses' },
  { section: 'partners', path: '/partners', adminOnly: true },
];

/**
 * Server-rendered console pages (templates/console), one isolated Handlebars instance, every value
 * escaped; the only unescaped values are Markdown already rendered and sanitised (`*Html`).
 */
@Injectable()
export class ConsoleRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, HandlebarsTemplateDelegate>();
  private readonly layout: HandlebarsTemplateDelegate;

  constructor() {
    const partials = join(TEMPLATES_DIR, 'console', 'partials');
    for (const file of readdirSync(partials)) {
      this.handlebars.registerPartial(file.replace(/\.hbs$/, ''), readTemplate(`console/partials/${file}`));
    }
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
    this.handlebars.registerHelper('encode', (value: string) => encodeURIComponent(value));
    this.handlebars.registerHelper('isNumber', (a: unknown) => typeof a === 'number');
    this.handlebars.registerHelper('lookupText', (table: Record<string, string>, key: string) => table[key] ?? key);
    this.handlebars.registerHelper('call', (fn: (...args: unknown[]) => string, ...args: unknown[]) =>
      fn(...args.slice(0, -1)),
    );
    this.handlebars.registerHelper('money', (money: Money, locale: Locale) => formatMoney(money, locale));
    this.handlebars.registerHelper('percent', (ratio: number | null) =>
      ratio === null ? '—' : `${Math.round(ratio * 1000) / 10}%`,
    );
    this.layout = this.compile('layout');
  }

  text(locale: Locale): ConsoleText {
    return CONSOLE_TEXT[locale];
  }

  /** A whole page: `name` is templates/console/<name>.hbs, rendered with `view` and the frame. */
  page(frame: ConsoleFrame, section: ConsoleSection, title: string, name: string, view: object): string {
    const text = CONSOLE_TEXT[frame.locale];
    const context = { ...view, frame, text, title };
    const nav = frame.staff
      ? NAV.filter(
          (item) =>
            (!item.notForPartners || frame.staff?.role !== 'partner') &&
            (!item.adminOnly || frame.staff?.role === 'admin'),
        ).map((item) => ({
          href: frame.root + item.path,
          label: text.nav[item.section],
          current: item.section === section,
        }))
      : [];
    return this.layout({
      ...context,
      nav,
      role: frame.staff ? text.roles[frame.staff.role] : null,
      otherLocale: frame.locale === 'en' ? 'zh-CN' : 'en',
      content: this.template(name)(context),
    });
  }

  /** A fragment (htmx swaps it into the page; the same template renders inside the page). */
  fragment(frame: ConsoleFrame, name: string, view: object): string {
    return this.template(name)({ ...view, frame, text: CONSOLE_TEXT[frame.locale] });
  }

  private template(name: string): HandlebarsTemplateDelegate {
    let template = this.templates.get(name);
    if (!template) {
      template = this.compile(name);
      this.templates.set(name, template);
    }
    return template;
  }

  private compile(name: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(readTemplate(`console/${name}.hbs`), { strict: false });
  }
}
