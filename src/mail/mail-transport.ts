/** A message ready to go out: rendering happens before, delivery after. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable Message-ID (e.g. derived from an idempotency key), without angle brackets. */
  messageId?: string;
  headers?: Record<string, string>;
  /** Files to attach, as text (an .ics). */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface SentMail {
  messageId: string;
}

/**
 * The mail adapter. Production sends through pooled SMTP; development writes .eml files.
 * Tests point the SMTP variant at an in-process SMTP server rather than replacing the logic.
 */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<SentMail>;
  /** Human-readable destination for the start-up log line. */
  abstract describe(): string;
}
