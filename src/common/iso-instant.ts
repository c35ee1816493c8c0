import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';
import { DateTime } from 'luxon';

// A full date-time with seconds optional, and Z or an offset: a bare date or local time would
// leave the instant to the server's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * The instant a strict ISO-8601 date-time names, or null when it names none: not a string (`12`,
 * which `new Date` reads as 1970), no zone, or a day the calendar does not have (`2027-02-30`,
 * which `new Date` rolls over to 2 March).
 */
export function parseIsoInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** A DTO field that takes only a strict ISO-8601 instant (see parseIsoInstant); the 400 names it. */
export const IsIsoInstant = () =>
  applyDecorators(
    // Anything else stays as it came, for IsDate to refuse under the field's name.
    Transform(({ value }: { value: unknown }) => parseIsoInstant(value) ?? value),
    IsDate({
      message: ({ property }) =>
        `${property} must be an ISO-8601 date-time with Z or an offset, on a day that exists, e.g. 2026-03-01T09:00:00+08:00`,
    }),
  );
