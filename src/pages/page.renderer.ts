import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { Locale } from '../common/locale';
import { ShareText } from '../common/student-share';
import { readTemplate } from '../common/template-files';
import { PAGE_TEXT } from './page-text';

export interface MessagePage {
  title: string;
  paragraphs: string[];
  schedule?: { title: string; local: string }[];
  /** A way on, e.g. to a payment provider's checkout. */
  link?: { href: string; label: string };
  /** The student's share block (their link, price and next rung), once they are in the classes. */
  share?: ShareText;
}

export interface ActionPage {
  title: string;
  paragraphs: string[];
  /** The form posts here; a GET never changes anything (mail scanners prefetch links). */
  action: string;
  button: string;
}

/** The public sign-up form of a cohort, with a referral code carried along when there is one. */
export interface JoinPage {
  title: string;
  body: string;
  action: string;
  nameLabel: string;
  emailLabel: string;
  button: string;
  referralCode: string | null;
  referredBy: string;
}

/** The offer page: the student's own price, their referrals and the checkout. */
export interface OfferPage {
  cohort: string;
  title: string;
  /** The course description rendered from Markdown and sanitised (empty when there is none). */
  descriptionHtml: string;
  priceLine: string;
  deadline: string;
  referralLine: string;
  shareUrl: string;
  paidOrder: string | null;
  canBuy: boolean;
  action: string;
  text: (typeof PAGE_TEXT)[Locale]['offer'];
}

/** The lesson page: the class, check-in, homework and progress (every value escaped but bodyHtml). */
export interface LessonPage {
  cohort: string;
  title: string;
  /** Empty until the class is released (a live class's page opens early for check-in). */
  bodyHtml: string;
  text: (typeof PAGE_TEXT)[Locale]['lesson'];
  attendance: { checkedIn: boolean; canCheckIn: boolean; stateLabel: string; notes: string | null };
  homework: {
    prompt: string;
    dueLocal: string;
    maxScore: number;
    canSubmit: boolean;
    submission: { text: string; lateNote: string | null } | null;
    grade: {
      total: number;
      result: string;
      feedback: string;
      criteria: { name: string; score: number; points: number; feedback: string }[];
    } | null;
  } | null;
  progress: { line: string; complete: boolean };
  share: ShareText;
  /** The student's own note shared with the group (once checked in), and what the form shows. */
  sharedNote: { shared: boolean; hidden: boolean; value: string } | null;
  /** The class's notes wall: classmates' shared notes newest first, a page of them, and its links. */
  wall: {
    items: { author: string; text: string; when: string; iso: string; edited: boolean; mine: boolean }[];
    older: string | null;
    newest: string | null;
  };
  /** Where the forms post (signed, relative to the page). */
  actions: { checkIn: string; homework: string; note: string; withdrawNote: string };
}

/** Server-rendered student pages (templates/pages), compiled once, every value escaped. */
@Injectable()
export class PageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly layout = this.compile('pages/layout.html.hbs');
  private readonly messagePage = this.compile('pages/message.hbs');
  private readonly actionPage = this.compile('pages/action.hbs');
  private readonly lessonPage = this.compile('pages/lesson.hbs');
  private readonly joinPage = this.compile('pages/join.hbs');
  private readonly offerPage = this.compile('pages/offer.hbs');

  constructor() {
    // The share block of every student page (`{{> share share}}`).
    this.handlebars.registerPartial('share', readTemplate('pages/share.hbs'));
  }

  offer(locale: Locale, page: OfferPage): string {
    return this.layout({ locale, title: page.title, content: this.offerPage(page) });
  }

  join(locale: Locale, page: JoinPage): string {
    return this.layout({ locale, title: page.title, content: this.joinPage(page) });
  }

  /** `bodyHtml` is the lesson body rendered from Markdown, with student values already escaped. */
  lesson(locale: Locale, page: LessonPage): string {
    return this.layout({ locale, title: page.title, content: this.lessonPage(page) });
  }

  message(locale: Locale, page: MessagePage): string {
    return this.layout({
      locale,
      title: page.title,
      content: this.messagePage({ schedule: null, link: null, share: null, ...page }),
    });
  }

  action(locale: Locale, page: ActionPage): string {
    return this.layout({ locale, title: page.title, content: this.actionPage(page) });
  }

  private compile(file: string): HandlebarsTemplateDelegate {
    return this.handlebars.compile(readTemplate(file), { strict: true });
  }
}
