import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { Clock } from '../common/clock';
import { MailTransport, OutgoingMail, SentMail } from './mail-transport';

function toNodemailer(from: string, mail: OutgoingMail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    ...(mail.messageId ? { messageId: `<${mail.messageId}>` } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
  };
}

/** Pooled SMTP delivery: connections are reused across messages. */
export class SmtpMailTransport extends MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    const url = new URL(smtpUrl);
    url.searchParams.set('pool', 'true');
    this.transporter = createTransport(url.toString());
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const info = (await this.transporter.sendMail(toNodemailer(this.from, mail))) as { messageId: string };
    return { messageId: info.messageId };
  }

  describe(): string {
    const url = new URL(this.smtpUrl);
    return `SMTP ${url.protocol}//${url.host}`;
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/** Development delivery: each message becomes an .eml file that any mail client can open. */
export class EmlFileMailTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;

  constructor(
    private readonly mailDir: string,
    private readonly from: string,
    private readonly clock: Clock,
  ) {
    super();
    this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const info = (await this.transporter.sendMail(toNodemailer(this.from, mail))) as {
      messageId: string;
      message: Buffer;
    };
    await mkdir(this.mailDir, { recursive: true });
    const stamp = this.clock.now().toISOString().replace(/[:.]/g, '-');
    const safeId = info.messageId.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 80);
    const file = join(this.mailDir, `${stamp}_${safeId}.eml`);
    await writeFile(file, info.message);
    this.logger.log({ msg: 'mail written', to: mail.to, subject: mail.subject, file });
    return { messageId: info.messageId };
  }

  describe(): string {
    return `.eml files in ${this.mailDir}`;
  }
}
