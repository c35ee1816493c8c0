import { Locale } from '../common/locale';
import { Money } from '../common/money';

/** The group-chat platforms a cohort's channel may post to. */
export const CHAT_PLATFORMS = ['wecom', 'feishu', 'dingtalk', 'slack', 'webhook'] as const;
export type ChatPlatformName = (typeof CHAT_PLATFORMS)[number];

/** What a group channel posts; `test` is the staff's "send a test message". */
export const CHAT_POST_KINDS = ['opening', 'released', 'homework', 'offer', 'milestone', 'test'] as const;
export type ChatPostKind = (typeof CHAT_POST_KINDS)[number];

interface PostCommon {
  cohort: { name: string };
}

/** A class as the group reads it: its number among the free classes, and its title. */
interface PostLesson {
  number: number;
  title: string;
}

/**
 * The data of each kind of post (the fan-out builds it, the templates under templates/channels
 * read it). Times are already written in the cohort's zone (`*Local`, with `zone` naming it): the
 * group shares one clock, even on a student-local release clock. Links carry no student's token.
 */
export type ChatPostData =
  | {
      /** A class starts soon: when, and when check-in opens and closes. */
      kind: 'opening';
      data: PostCommon & {
        lesson: PostLesson & { startsLocal: string; zone: string };
        checkIn: { opensLocal: string; closesLocal: string };
        links: { lesson: string };
      };
    }
  | {
      /** A class is out: its title, a one-line summary (plain text, may be empty) and the class's group link. */
      kind: 'released';
      data: PostCommon & { lesson: PostLesson & { summary: string }; links: { lesson: string } };
    }
  | {
      /** A class's homework is due soon. */
      kind: 'homework';
      data: PostCommon & { lesson: PostLesson & { dueLocal: string; zone: string }; links: { lesson: string } };
    }
  | {
      /** The paid course's offer opens: list price and deadline (each student's own price is in their mail). */
      kind: 'offer';
      data: PostCommon & { offer: { courseName: string; listPrice: Money; deadlineLocal: string; zone: string } };
    }
  | {
      /** "30 of you checked in to class 2". */
      kind: 'milestone';
      data: PostCommon & { lesson: PostLesson; milestone: { checkedIn: number } };
    }
  | { kind: 'test'; data: PostCommon & { channel: { name: string } } };

/** A run of text in a post's line: plain, bold, or a link. Text is what a person typed: never markup. */
export type ChatInline = { text: string; bold?: true } | { text: string; url: string };

/**
 * A post before any platform's format: what a template renders to. Each platform turns it into its
 * own message (WeCom and DingTalk Markdown, a Feishu card, Slack blocks, plain JSON), escaping the
 * text for that dialect, so a title like `[x](http://evil)` stays text everywhere.
 */
export interface ChatPost {
  kind: ChatPostKind;
  locale: Locale;
  /** Plain text: the card header, the Markdown title, the notification preview. */
  title: string;
  /** Paragraphs, each a list of runs. */
  lines: ChatInline[][];
  /** The post's one button, if any (e.g. "Open the class"). */
  action?: { label: string; url: string };
}
