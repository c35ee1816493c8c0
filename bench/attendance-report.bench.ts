/**
 * npm run bench:attendance [-- --students 20000]
 *
 * Builds the attendance reports of a cohort of N students whose first class has been held (70% came
 * on time, 10% late, 2% excused, the rest absent) against a real MongoDB-compatible server
 * (MONGODB_URI, else a throwaway FerretDB), and prints what each report costs in time and peak RSS,
 * then the report itself: per-lesson rates and the first lines of the CSV. The funnel report of the same
 * cohort is timed too. The last line is one JSON object of the figures (see printBenchJson).
 */
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { parseArgs } from 'node:util';
import { FunnelReportService } from '../src/analytics/funnel-report.service';
import { AttendanceReports } from '../src/attendance/attendance-reports.service';
import { CohortsService } from '../src/cohorts/cohorts.service';
import { ALL_ORGANIZATIONS } from '../src/common/tenancy';
import { CourseFunnelModule } from '../src/course-funnel.module';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { FunnelsService } from '../src/funnels/funnels.service';
import { benchDatabase, engineName, peakRss, printBenchJson, rssMb, seedInChild } from './support';

const { values } = parseArgs({ options: { students: { type: 'string', default: '20000' } } });
const STUDENTS = Number(values.students);
const DAY_MS = 24 * 3600_000;

async function main(): Promise<void> {
  const database = await benchDatabase();
  const app = await NestFactory.createApplicationContext(
    CourseFunnelModule.forRoot({
      mongodbUri: database.uri,
      appSecret: 'bench-secret-that-is-long-enough-0123456789',
      publicBaseUrl: 'https://course.example.com',
      mail: { from: 'School <hello@school.example>', smtpUrl: 'smtp://127.0.0.1:9' },
      bootstrapAdminToken: false,
      schedulerTickMs: 0,
      outbox: { tickMs: 0 },
    }),
    { logger: ['error'] },
  );
  const connection = app.get<Connection>(getConnectionToken(COURSE_FUNNEL_CONNECTION));
  try {
    const funnel = await app.get(FunnelsService).create(
      {
        name: 'Report bench funnel',
        defaultLocale: 'en',
        lessons: [
          { key: 'v1', phase: 'value', title: 'Class 1', body: 'Hello', release: { after: 'PT0S' } },
          { key: 'c1', phase: 'closing', title: 'Class 2', body: 'Later', release: { after: 'P3D' } },
        ],
        offer: { courseName: 'Course', listPrice: { amount: 19900, currency: 'CNY' }, deadlineAfter: 'P2D' },
      },
      'bench',
    );
    // Class 1 was two days ago (its window has closed); class 2 is still to come.
    const startAt = new Date(Date.now() - 2 * DAY_MS);
    const cohorts = app.get(CohortsService);
    const cohort = await cohorts.create(
      {
        funnelId: funnel.id,
        name: 'Report bench cohort',
        startAt,
        catchUp: true,
        timezone: 'Asia/Shanghai',
        capacity: STUDENTS,
      },
      'bench',
      ALL_ORGANIZATIONS,
    );
    await seedInChild(database.uri, cohort.id, STUDENTS, { attendanceFor: 'v1', releasedAt: startAt });
    console.log(`bench: ${STUDENTS} students seeded with class 1 attendance; database ${database.description}`);

    const attendance = app.get(AttendanceReports);
    const baselineMb = rssMb();
    const page = await peakRss(() => attendance.matrixPage(cohort.id, ALL_ORGANIZATIONS, 100));
    const rates = await peakRss(() => attendance.lessonRates(cohort.id, ALL_ORGANIZATIONS));
    const funnelReport = await peakRss(() => app.get(FunnelReportService).report(cohort.id, ALL_ORGANIZATIONS));
    const csvHead: string[] = [];
    // Each row must be the student's own: seats in order, class 1 as seeded for that seat.
    const seeded = (seat: number) => {
      const bucket = (seat - 1) % 100;
      return bucket < 70 ? 'present' : bucket < 80 ? 'late' : bucket < 82 ? 'excused' : 'absent';
    };
    const wrongRows: string[] = [];
    const csv = await peakRss(async () => {
      let lines = 0;
      let bytes = 0;
      for await (const chunk of attendance.csv(cohort.id, ALL_ORGANIZATIONS)) {
        bytes += Buffer.byteLength(chunk);
        for (const line of chunk.split('\n')) {
          if (!line) continue;
          if (csvHead.length < 6) csvHead.push(line);
          if (lines > 0) {
            const [seat, , , , v1] = line.split(',');
            if (Number(seat) !== lines || v1 !== seeded(lines)) wrongRows.push(line);
          }
          lines++;
        }
      }
      return { lines, bytes };
    });
    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(`bench: RSS before the reports     ${baselineMb} MB`);
    console.log(`bench: matrix, first 100 rows     ${ms(page.ms)}, peak RSS ${page.peakMb} MB`);
    console.log(`bench: per-lesson rates           ${ms(rates.ms)}, peak RSS ${rates.peakMb} MB`);
    console.log(`bench: attendance report (both)   ${ms(page.ms + rates.ms)}`);
    console.log(`bench: funnel report              ${ms(funnelReport.ms)}, peak RSS ${funnelReport.peakMb} MB`);
    console.log(
      `bench: CSV export                 ${csv.result.lines} lines, ${Math.round(csv.result.bytes / 1024)} KB ` +
        `in ${ms(csv.ms)}, peak RSS ${csv.peakMb} MB`,
    );
    console.log('bench: per-lesson report');
    for (const r of rates.result) {
      console.log(
        `bench:   ${r.lessonKey} ${r.title.padEnd(8)} present ${r.present}  late ${r.late}  excused ${r.excused}  ` +
          `absent ${r.absent}  not yet ${r.pending}  rate ${(r.rate * 100).toFixed(2)}%`,
      );
    }
    console.log('bench: funnel report');
    for (const step of funnelReport.result.steps) {
      console.log(`bench:   ${step.step.padEnd(20)} ${String(step.count).padStart(7)}  conversion ${step.conversion}`);
    }
    console.log('bench: CSV, first lines');
    for (const line of csvHead) console.log(`bench:   ${line}`);
    if (csv.result.lines !== STUDENTS + 1)
      throw new Error(`expected ${STUDENTS + 1} CSV lines, got ${csv.result.lines}`);
    if (wrongRows.length > 0) {
      throw new Error(`${wrongRows.length} CSV rows out of seat order or not as seeded, e.g. ${wrongRows[0]}`);
    }
    // The seed is exact per hundred students, so the report must be too.
    const v1 = rates.result.find((r) => r.lessonKey === 'v1');
    const expected = { present: 0.7, late: 0.1, excused: 0.02, absent: 0.18 };
    for (const [state, share] of Object.entries(expected) as [keyof typeof expected, number][]) {
      const want = Math.round(STUDENTS * share);
      if (STUDENTS % 100 === 0 && v1?.[state] !== want) {
        throw new Error(`expected ${want} ${state} for class 1, got ${v1?.[state]}`);
      }
    }
    // The funnel report counts the same class: present + late, over every confirmed student.
    const step = (name: string) => funnelReport.result.steps.find((s) => s.step === name)?.count;
    const attended = Math.round(STUDENTS * 0.8);
    for (const [name, want] of [
      ['enrolled', STUDENTS],
      ['confirmed', STUDENTS],
      ['attended:v1', attended],
      ['attended:c1', 0],
    ] as const) {
      if ((name !== 'attended:v1' || STUDENTS % 100 === 0) && step(name) !== want) {
        throw new Error(`expected ${want} for funnel step ${name}, got ${step(name)}`);
      }
    }

    printBenchJson({
      engine: await engineName(database.uri),
      students: STUDENTS,
      // The attendance report: the matrix's first page (100 rows) and the per-lesson rates.
      reportMs: Math.round(page.ms + rates.ms),
      matrixMs: Math.round(page.ms),
      ratesMs: Math.round(rates.ms),
      funnelMs: Math.round(funnelReport.ms),
      csvMs: Math.round(csv.ms),
      peakRssMb: Math.max(page.peakMb, rates.peakMb, funnelReport.peakMb, csv.peakMb),
    });
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await app.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
