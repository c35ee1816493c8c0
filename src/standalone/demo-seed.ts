import { INestApplicationContext } from '@nestjs/common';
import { Types } from 'mongoose';
import { SignedLinksService } from '../auth/signed-links.service';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { Locale } from '../common/locale';
import { ALL_ORGANIZATIONS } from '../common/tenancy';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentConfirmations } from '../enrollments/enrollment-confirmations.service';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { threePlusFourLessons } from '../funnels/default-funnels';
import { FunnelContent, offerOpensAfterMs } from '../funnels/funnel-content';
import { FunnelsService } from '../funnels/funnels.service';
import { StudentMessages } from '../messages/student-messages';

/** The demo funnel's fixed id: seeding again finds it instead of making another. */
export const DEMO_FUNNEL_ID = '64656d6f0000000000000001';

/** The demo cohort's first class starts this long after `npm run demo`. */
export const DEMO_LEAD_MS = 2 * 60_000;

const CLASS_GAP_MINUTES = 3;

const DEMO_CLASSES: [title: string, body: string][] = [
  [
    'Class 1 · 第一课: The need behind the behaviour · 看见行为背后的需要',
    'Welcome, {{student.name}}! 欢迎来到第一课。\n\nThis is a demo class: the next one arrives in three minutes. ' +
      '这是演示课程，三分钟后收到下一课。',
  ],
  ['Class 2 · 第二课: Where calm parents come from · 情绪稳定的父母', 'Notice, pause, respond. 觉察、暂停、回应。'],
  ['Class 3 · 第三课: From lecturing to conversation · 把说教换成对话', 'Ask, then listen. 先提问，再倾听。'],
  ['Class 4 · 第四课: Family rules that work · 有效的家庭规则', 'Few rules, agreed in advance. 规则少而清楚。'],
  [
    'Class 5 · 第五课: Three sources of motivation · 学习动力的三个来源',
    'Interest, mastery, belonging. 兴趣、胜任、归属。',
  ],
  [
    'Class 6 · 第六课: Repairing after a conflict · 冲突之后的修复',
    'Repair matters more than never fighting. 修复比不吵更重要。',
  ],
  [
    'Class 7 · 第七课: Your 21-day plan · 21 天行动计划',
    'Tonight: the plan, and the course. 今晚：行动计划与正式课程。',
  ],
];

/** A "3 + 4" funnel in minutes instead of days: a class every three minutes, the offer two minutes after. */
export const demoFunnel: FunnelContent = {
  name: 'Demo · 演示: 3 + 4 in twenty minutes',
  defaultLocale: 'en',
  lessons: threePlusFourLessons(
    DEMO_CLASSES.map(([title]) => title),
    DEMO_CLASSES.map(([, body]) => body),
    (i) => ({ after: `PT${i * CLASS_GAP_MINUTES}M` }),
  ),
  offer: {
    courseName: '21-day family coaching · 21 天家庭教育陪伴营',
    description:
      '21 days, 15 minutes a day. 21 天，每天 15 分钟。\n\n- A daily exercise · 每天一个小练习\n- Weekly live Q&A · 每周直播答疑',
    listPrice: { amount: 19900, currency: 'CNY' },
    openAfter: 'PT2M',
    deadlineAfter: 'P1D',
    priceTiers: [
      { minReferrals: 1, price: { amount: 14900, currency: 'CNY' } },
      { minReferrals: 3, price: { amount: 9900, currency: 'CNY' } },
    ],
  },
};

export interface DemoStudent {
  name: string;
  email: string;
  locale: Locale;
  timezone: string;
}

export const demoStudents: DemoStudent[] = [
  { name: '王芳', email: 'wang.fang+demo@example.com', locale: 'zh-CN', timezone: 'Asia/Shanghai' },
  { name: '李雷', email: 'li.lei+demo@example.com', locale: 'zh-CN', timezone: 'Asia/Shanghai' },
  { name: 'Emma Clark', email: 'emma.clark+demo@example.com', locale: 'en', timezone: 'Europe/London' },
];

export interface SeededDemo {
  cohort: CohortRecord;
  /** Whether this run made the cohort (false: an earlier run's, still before its first class). */
  created: boolean;
  students: (DemoStudent & { enrollmentId: string; lessonLink: string; offerLink: string })[];
}

/**
 * Seeds the demo through the module's own services, as a sign-up would: the funnel (once), an open
 * cohort starting two minutes from now, and three confirmed students. Idempotent: while the last
 * demo cohort's first class is still to come, running again reuses it and its students.
 */
export async function seedDemo(app: INestApplicationContext): Promise<SeededDemo> {
  const funnels = app.get(FunnelsService);
  const cohorts = app.get(CohortsService);
  const now = app.get(Clock).now();

  try {
    await funnels.get(DEMO_FUNNEL_ID, ALL_ORGANIZATIONS);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await funnels.create(demoFunnel, 'demo', undefined, new Types.ObjectId(DEMO_FUNNEL_ID));
  }

  let cohort: CohortRecord | undefined;
  for await (const page of cohorts.ofFunnel(DEMO_FUNNEL_ID)) {
    cohort ??= page.find((c) => c.status === 'open' && c.lessons[0].releaseAt > now);
  }
  const created = !cohort;
  if (!cohort) {
    const startAt = new Date(Math.ceil((now.getTime() + DEMO_LEAD_MS) / 60_000) * 60_000);
    const draft = await cohorts.create(
      {
        funnelId: DEMO_FUNNEL_ID,
        name: `Demo cohort ${startAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        startAt,
        timezone: 'Asia/Shanghai',
        capacity: 50,
      },
      'demo',
      ALL_ORGANIZATIONS,
    );
    cohort = await cohorts.open(draft.id, false, ALL_ORGANIZATIONS);
  }

  const enrollments = app.get(EnrollmentsService);
  const confirmations = app.get(EnrollmentConfirmations);
  const links = app.get(SignedLinksService);
  const messages = app.get(StudentMessages);
  const students: SeededDemo['students'] = [];
  for (const student of demoStudents) {
    // Both idempotent: the same email in the same cohort is the same enrolment, confirmed once.
    const enrollment = await enrollments.enroll(cohort.id, student);
    await confirmations.confirm(enrollment.id, enrollment.studentId);
    students.push({
      ...student,
      enrollmentId: enrollment.id,
      lessonLink: links.issue(enrollment.studentId, `/l/${enrollment.id}/${cohort.lessons[0].key}`, 'lesson').url,
      offerLink: messages.offerUrl(enrollment),
    });
  }
  return { cohort, created, students };
}

function inMinutes(at: Date, now: Date): string {
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  return minutes <= 0 ? 'now' : `in ${minutes} min`;
}

const clockTime = (at: Date): string =>
  at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** What will arrive when, and where to look: the demo's one block of output. */
export function demoBlock(
  demo: SeededDemo,
  url: string,
  /** Where mail goes without SMTP (the .eml files); null: through SMTP. */
  mailDir: string | null,
  now: Date,
): string {
  const { cohort } = demo;
  const last = cohort.lessons[cohort.lessons.length - 1].releaseAt;
  const offerAt = new Date(last.getTime() + offerOpensAfterMs(demoFunnel.offer));
  const [first] = demo.students;
  const lines = [
    `Demo ${demo.created ? 'seeded' : 'already seeded, reused'}: "${cohort.name}" (cohort ${cohort.id})`,
    `  students, confirmed: ${demo.students.map((s) => `${s.name} <${s.email}> (${s.locale})`).join(', ')}`,
    '',
    'What arrives when (each student gets each mail):',
    `  ${'sign-up request, then welcome'.padEnd(30)}  ${demo.created ? 'now (the welcome has schedule.ics)' : 'sent already'}`,
    ...cohort.lessons.map(
      (l) => `  ${l.title.split(' · ')[0].padEnd(30)}  ${clockTime(l.releaseAt)} (${inMinutes(l.releaseAt, now)})`,
    ),
    `  ${'the offer, with the price ladder'.padEnd(30)}  ${clockTime(offerAt)} (${inMinutes(offerAt, now)})`,
    '',
    'Where to look:',
    mailDir
      ? `  mail: ${url}/dev/mailbox (the .eml files are in ${mailDir})`
      : '  mail: sent through SMTP to the demo addresses (@example.com: nobody receives them)',
    `  ${first.name}'s class 1 page (opens with the class): ${first.lessonLink}`,
    `  ${first.name}'s offer page: ${first.offerLink}`,
    `  funnel report: curl -H "Authorization: Bearer $TOKEN" ${url}/api/cohorts/${cohort.id}/funnel`,
    '    $TOKEN: the admin token the first start printed, or: npm run cli -- token create --role instructor --name demo',
  ];
  return lines.join('\n') + '\n';
}
