import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { StudentReleases } from './student-releases.service';

/** What reaches whom when: the release rules, and the per-student messages they lead to. */
@Module({
  imports: [MessagesModule],
  providers: [StudentReleases],
  exports: [StudentReleases],
})
export class ReleasesModule {}
