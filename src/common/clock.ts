import { Injectable } from '@nestjs/common';

/**
 * The one source of "now". Everything time-dependent asks this service, so tests
 * move time forward by swapping in a fake clock instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
