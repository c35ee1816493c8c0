import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PeriodicJobs } from '../jobs/periodic-jobs.service';
import { ChannelsRepository } from './channels.repository';

/** A slot only matters within its platform's window (a minute at most): those an hour old go, hourly. */
const KEEP_SLOTS_MS = 3600_000;

@Injectable()
export class ChannelSlotsPurgeJob {
  constructor(channels: ChannelsRepository, clock: Clock, jobs: PeriodicJobs) {
    jobs.register({
      name: 'channel-slots-purge',
      schedule: { cron: '7 * * * *' },
      run: () => channels.purgeSlots(new Date(clock.now().getTime() - KEEP_SLOTS_MS)),
    });
  }
}
