import ICAL from 'ical.js';
import { defaultFunnels } from '../funnels/default-funnels';
import { releaseAt, studentReleaseAt } from '../schedule/schedule.rules';
import { calendarIcs, calendarSequence, classUid, StudentCalendar } from './student-calendar';

/** Parses with Mozilla's iCalendar parser (ical.js), as a calendar app would. */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return {
    calendar,
    events: calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c)),
  };
}

const en = defaultFunnels[1].content;
const calendarOf = (startAt: string, zone: string, studentZone: string | null, rescheduledAt: Date | null = null) => {
  const start = new Date(startAt);
  const at = (release: (typeof en.lessons)[number]['release']) =>
    studentZone ? studentReleaseAt(start, release, zone, studentZone) : releaseAt(start, release, zone);
  const calendar: StudentCalendar = {
    name: 'Spring cohort',
    zone: studentZone ?? zone,
    stamp: '2026-02-20T00:00:00.000Z',
    sequence: calendarSequence(rescheduledAt),
    events: en.lessons
      .filter((l) => l.phase !== 'paid')
      .map((l) => ({ uid: classUid('e1', l.key), title: l.title, startsAt: at(l.release).toISOString() })),
  };
  return parse(calendarIcs(calendar));
};

describe('the .ics of a student’s classes', () => {
  it('has one event per class at 20:00 New York time, across the March DST change, an hour long', () => {
    // Class 1 on 5 March (EST, UTC-5), class 7 on 11 March (EDT, UTC-4: DST began on 8 March).
    const { calendar, events } = calendarOf('2026-03-05T00:00:00-05:00', 'America/New_York', null);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Spring cohort');
    expect(events).toHaveLength(7);
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual([
      '2026-03-06T01:00:00.000Z',
      '2026-03-07T01:00:00.000Z',
      '2026-03-08T01:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
      '2026-03-12T00:00:00.000Z',
    ]);
    expect(events[0].summary).toBe('Class 1: The need behind the behaviour');
    expect(events[0].endDate.toJSDate().getTime() - events[0].startDate.toJSDate().getTime()).toBe(3600_000);
    expect(new Set(events.map((e) => e.uid)).size).toBe(7);
    expect(events[0].uid).toBe('e1-v1@course-funnel');
  });

  it('puts a student-local class at 20:00 in the student’s own zone (Asia/Shanghai)', () => {
    const { calendar, events } = calendarOf('2026-03-01T00:00:00+01:00', 'Europe/Berlin', 'Asia/Shanghai');
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('gives a rescheduled calendar a higher SEQUENCE and the same UIDs, so apps move the events', () => {
    const before = calendarOf('2026-03-01T00:00:00+01:00', 'Europe/Berlin', null).events;
    const after = calendarOf(
      '2026-03-08T00:00:00+01:00',
      'Europe/Berlin',
      null,
      new Date('2026-02-25T10:00:00Z'),
    ).events;
    expect(after.map((e) => e.uid)).toEqual(before.map((e) => e.uid));
    expect(after[0].sequence).toBeGreaterThan(before[0].sequence);
    expect(after[0].startDate.toJSDate().toISOString()).toBe('2026-03-08T19:00:00.000Z');
  });

  it('keeps what a title holds as text (commas, semicolons, newlines are escaped, not structure)', () => {
    const ics = calendarIcs({
      name: 'A; B',
      zone: 'UTC',
      stamp: '2026-01-01T00:00:00Z',
      sequence: 0,
      events: [{ uid: 'x', title: 'Hi, there;\nBEGIN:VEVENT', startsAt: '2026-01-02T00:00:00Z' }],
    });
    const { events } = parse(ics);
    expect(events).toHaveLength(1);
    expect(events[0].summary).toBe('Hi, there;\nBEGIN:VEVENT');
  });
});
