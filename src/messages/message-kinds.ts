import { Locale } from '../common/locale';
import { Money } from '../common/money';
import { StudentShare } from '../common/student-share';
import { StudentCalendar } from './student-calendar';

export const MESSAGE_KINDS = [
  'confirm',
  'welcome',
  'lesson',
  'catchup',
  'reminder',
  'offer',
  'cancelled',
  'missed',
  'graded',
  'unlocked',
  'receipt',
  'refunded',
  'promoted',
  'rescheduled',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * What the outbox holds: student mail of each kind, and `chat`, a post to a cohort's group chat
 * (channels/), which carries its own post kind in its data and is sent by the channel's sender.
 */
export const OUTBOX_KINDS = [...MESSAGE_KINDS, 'chat'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

interface Common {
  student: { name: string };
  cohort: { name: string };
  links: { unsubscribe: string };
  /**
   * The student's share link, price and next rung, on the mail of their classes (welcome, lessons,
   * reminders, missed, offer); the layout shows it under the message.
   */
  share?: StudentShare;
}

/** The class times as a student reads them, in their zone. */
interface Schedule {
  zone: string;
  lessons: { title: string; local: string }[];
  homework: boolean;
}

/** The data each kind of message needs; the renderer refuses anything else (strict templates). */
export type MessageData =
  | { kind: 'confirm'; data: Common & { links: { confirm: string } } }
  | {
      kind: 'welcome';
      /** `calendar`: attached as schedule.ics; `links.calendar`: the signed feed that follows reschedules. */
      data: Common & {
        schedule: Schedule;
        calendar?: StudentCalendar;
        links: { calendar?: string };
      };
    }
  | {
      /** The cohort's start moved: the new times, the feed, and the .ics again. */
      kind: 'rescheduled';
      data: Common & { schedule: Schedule; calendar: StudentCalendar; links: { calendar: string } };
    }
  | {
      kind: 'lesson';
      /** `homework`: the lesson sets homework (only then does the mail speak of it). */
      data: Common & { lesson: { title: string; body: string; homework: boolean }; links: { lesson: string } };
    }
  | {
      /** Classes released before the student was there, in one mail: each title with its page. */
      kind: 'catchup';
      data: Common & { lessons: { title: string; link: string }[]; count: number };
    }
  | { kind: 'reminder'; data: Common & { lesson: { title: string; local: string } } }
  | {
      kind: 'offer';
      data: Common & {
        offer: { courseName: string; price: Money; listPrice: Money; discounted: boolean; deadlineLocal: string };
        links: { offer: string };
      };
    }
  | { kind: 'cancelled'; data: Common }
  | { kind: 'missed'; data: Common & { lesson: { title: string }; links: { lesson: string } } }
  | {
      kind: 'graded';
      data: Common & {
        lesson: { title: string };
        homework: {
          total: number;
          maxScore: number;
          passed: boolean;
          /** Points taken off for handing in late; shown only when above zero. */
          penaltyPoints: number;
          /** The instructor's overall feedback; shown only when not empty. */
          feedback: string;
          criteria: { name: string; score: number; points: number; feedback: string }[];
        };
        links: { lesson: string };
      };
    }
  | {
      kind: 'unlocked';
      data: Common & {
        offer: { courseName: string; price: Money; listPrice: Money; qualifiedReferrals: number };
        /** The tier after this one, if any. */
        next: { price: Money; referralsNeeded: number } | null;
        links: { offer: string; share: string };
      };
    }
  | {
      kind: 'receipt';
      data: Common & { order: { reference: string; courseName: string; amount: Money; paidAtLocal: string } };
    }
  | {
      kind: 'refunded';
      data: Common & {
        order: { reference: string; courseName: string };
        /** `full`: the order was refunded; otherwise a price-protection refund of part of it. */
        refund: { amount: Money; full: boolean };
      };
    }
  | { kind: 'promoted'; data: Common & { level: { name: string; commissionPercent: string } } };

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  /** Files the message carries (the schedule's .ics). */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export type MessageLocale = Locale;
