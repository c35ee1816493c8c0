import { parseIsoInstant } from './iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-01T09:00:00+08:00', '2026-03-01T01:00:00.000Z'],
    ['2026-03-01T01:00:00Z', '2026-03-01T01:00:00.000Z'],
    ['2026-03-01T01:00Z', '2026-03-01T01:00:00.000Z'],
    ['2026-03-01T01:00:00.250-0500', '2026-03-01T06:00:00.250Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads %s as the instant %s', (input, instant) => {
    expect(parseIsoInstant(input)?.toISOString()).toBe(instant);
  });

  it.each([
    ['a day February does not have', '2027-02-30T00:00:00Z'],
    ['a leap day in a common year', '2027-02-29T00:00:00Z'],
    ['hour 25', '2026-03-01T25:00:00Z'],
    ['no zone', '2026-03-01T09:00:00'],
    ['a bare date', '2026-03-01'],
    ['a number', 12],
    ['words', 'next Monday'],
    ['null', null],
  ])('names no instant for %s', (_, input) => {
    expect(parseIsoInstant(input)).toBeNull();
  });
});
