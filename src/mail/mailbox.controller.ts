import { Get, Header, Inject, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import Handlebars from 'handlebars';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { IsString, Matches } from 'class-validator';
import { StaffOrLoopback } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { readTemplate } from '../common/template-files';

class MailFileParam {
  @IsString()
  @Matches(/^[A-Za-z0-9._-]+\.eml$/, { message: 'file must be the name of an .eml file in the mailbox' })
  file!: string;
}

// Compiled once per process.
const page = Handlebars.create().compile(readTemplate('dev/mailbox.html.hbs'));

/**
 * Development only: lists the .eml files written when no SMTP server is configured. They hold
 * every student's address and signed links, so only this machine's browser, or staff with a
 * token, may read them.
 */
@ApiExcludeController()
@ApiController('dev', 'dev')
@StaffOrLoopback('instructor')
export class MailboxController {
  constructor(@Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions) {}

  private mailDir(): string {
    const dir = this.options.mail.mailDir;
    if (this.options.mail.smtpUrl || !dir)
      throw new NotFoundException('The dev mailbox exists only when mail is written to files');
    return dir;
  }

  @Get('mailbox')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async list(): Promise<string> {
    const dir = this.mailDir();
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse();
    const messages = await Promise.all(
      files.slice(0, 200).map(async (file) => {
        const parsed = await simpleParser(await readFile(join(dir, file)));
        return {
          file,
          subject: parsed.subject ?? '',
          to: parsed.to
            ? [parsed.to]
                .flat()
                .map((a) => a.text)
                .join(', ')
            : '',
          date: parsed.date?.toISOString() ?? '',
        };
      }),
    );
    return page({ dir, count: files.length, messages });
  }

  @Get('mailbox/:file')
  @Header('Content-Type', 'message/rfc822')
  raw(@Param() { file }: MailFileParam): StreamableFile {
    return new StreamableFile(createReadStream(join(this.mailDir(), file)));
  }

  @Get('mailbox/:file/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async html(@Param() { file }: MailFileParam): Promise<string> {
    const source = await readFile(join(this.mailDir(), file)).catch(() => {
      throw new NotFoundException(`No message ${file}`);
    });
    const parsed = await simpleParser(source);
    return parsed.html || `<pre>${Handlebars.escapeExpression(parsed.text ?? '')}</pre>`;
  }
}
