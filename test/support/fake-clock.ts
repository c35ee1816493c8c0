import { Clock } from '../../src/common/clock';

/** A clock tests move by hand. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date | string = '2026-03-01T00:00:00.000Z') {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

/** The wall clock, for tests whose subject is real elapsed time (leases under a slow database). */
export class WallClock extends FakeClock {
  override now(): Date {
    return new Date();
  }
}
