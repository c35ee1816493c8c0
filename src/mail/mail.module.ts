import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { MailTransport } from './mail-transport';
import { MailboxController } from './mailbox.controller';
import { EmlFileMailTransport, SmtpMailTransport } from './nodemailer-mail.transport';

@Module({
  controllers: [MailboxController],
  providers: [
    {
      provide: MailTransport,
      inject: [COURSE_FUNNEL_OPTIONS, Clock],
      useFactory: ({ mail }: ResolvedCourseFunnelOptions, clock: Clock): MailTransport =>
        mail.smtpUrl
          ? new SmtpMailTransport(mail.smtpUrl, mail.from)
          : new EmlFileMailTransport(mail.mailDir as string, mail.from, clock),
    },
  ],
  exports: [MailTransport],
})
export class MailModule {}
