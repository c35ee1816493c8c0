import { Locale } from '../common/locale';
import { MessageData, MessageKind } from './message-kinds';

const BASE = 'https://course.example.com';

/** Realistic sample data for every kind, used by the preview route and the rendering tests. */
export function sampleMessage(kind: MessageKind, locale: Locale): MessageData {
  const zh = locale === 'zh-CN';
  const courseName = zh ? '21 天家庭教育陪伴营' : '21-Day Parenting Coaching';
  const common = {
    student: { name: zh ? '王芳' : 'Wang Fang' },
    cohort: { name: zh ? '3 + 4 家庭教育训练营 · 三月班' : '3 + 4 Parenting Bootcamp · March' },
    links: { unsubscribe: `${BASE}/u?token=sample` },
  };
  const schedule = {
    zone: 'Asia/Shanghai',
    lessons: [
      { title: zh ? '第一课' : 'Class 1', local: '2026-03-01 20:00 GMT+8' },
      { title: zh ? '第二课' : 'Class 2', local: '2026-03-02 20:00 GMT+8' },
    ],
    homework: true,
  };
  const calendar = {
    name: common.cohort.name,
    zone: 'Asia/Shanghai',
    stamp: '2026-02-20T00:00:00.000Z',
    sequence: 0,
    events: [
      { uid: 'sample-v1@course-funnel', title: schedule.lessons[0].title, startsAt: '2026-03-01T12:00:00.000Z' },
      { uid: 'sample-v2@course-funnel', title: schedule.lessons[1].title, startsAt: '2026-03-02T12:00:00.000Z' },
    ],
  };
  const calendarLink = `${BASE}/cal/sample/schedule.ics?token=sample`;
  // The share block the mail of a student's classes carries (welcome, lessons, reminder, missed, offer).
  const share = {
    url: `${BASE}/r/K7M2QX`,
    price: { amount: 14900, currency: 'CNY' },
    listPrice: { amount: 19900, currency: 'CNY' },
    next: { price: { amount: 9900, currency: 'CNY' }, referralsNeeded: 1 },
  };
  switch (kind) {
    case 'confirm':
      return { kind, data: { ...common, links: { ...common.links, confirm: `${BASE}/c?token=sample` } } };
    case 'welcome':
      return {
        kind,
        data: { ...common, schedule, calendar, links: { ...common.links, calendar: calendarLink }, share },
      };
    case 'lesson':
      return {
        kind,
        data: {
          ...common,
          lesson: {
            title: zh ? '第一课：看见孩子行为背后的需要' : 'Class 1: The need behind the behaviour',
            body: zh
              ? '{{student.name}}，欢迎来到第一课。\n\n**课后作业**：记录一件小事。'
              : 'Welcome, {{student.name}}.\n\n**Homework**: note one thing.',
            homework: true,
          },
          links: { ...common.links, lesson: `${BASE}/lesson?token=sample` },
          share,
        },
      };
    case 'catchup':
      return {
        kind,
        data: {
          ...common,
          lessons: [
            {
              title: zh ? '第一课：看见孩子行为背后的需要' : 'Class 1: The need behind the behaviour',
              link: `${BASE}/lesson/v1?token=sample`,
            },
            {
              title: zh ? '第二课：情绪来了怎么办' : 'Class 2: When feelings run high',
              link: `${BASE}/lesson/v2?token=sample`,
            },
          ],
          count: 2,
          share,
        },
      };
    case 'reminder':
      return {
        kind,
        data: { ...common, lesson: { title: zh ? '第一课' : 'Class 1', local: '2026-03-01 20:00 GMT+8' }, share },
      };
    case 'offer':
      return {
        kind,
        data: {
          ...common,
          offer: {
            courseName,
            price: { amount: 9900, currency: 'CNY' },
            listPrice: { amount: 19900, currency: 'CNY' },
            discounted: true,
            deadlineLocal: '2026-03-09 20:00 GMT+8',
          },
          links: { ...common.links, offer: `${BASE}/offer?token=sample` },
          share: { ...share, price: { amount: 9900, currency: 'CNY' }, next: null },
        },
      };
    case 'cancelled':
      return { kind, data: common };
    case 'missed':
      return {
        kind,
        data: {
          ...common,
          lesson: { title: zh ? '第一课：看见孩子行为背后的需要' : 'Class 1: The need behind the behaviour' },
          links: { ...common.links, lesson: `${BASE}/lesson?token=sample` },
          share,
        },
      };
    case 'graded':
      return {
        kind,
        data: {
          ...common,
          lesson: { title: zh ? '第一课：看见孩子行为背后的需要' : 'Class 1: The need behind the behaviour' },
          homework: {
            total: 7,
            maxScore: 10,
            passed: true,
            penaltyPoints: 1,
            feedback: zh
              ? '第一次观察就很用心！下次可以再写一写您当时是怎么回应孩子的。'
              : 'A thoughtful first observation. Next time, add how you replied to your child.',
            criteria: [
              {
                name: zh ? '描述具体情境' : 'Describes the situation',
                score: 5,
                points: 5,
                feedback: zh ? '描述清楚、具体。' : 'Clear and concrete.',
              },
              {
                name: zh ? '看见行为背后的需要' : 'Names the need behind the behaviour',
                score: 3,
                points: 5,
                feedback: '',
              },
            ],
          },
          links: { ...common.links, lesson: `${BASE}/lesson?token=sample` },
        },
      };
    case 'unlocked':
      return {
        kind,
        data: {
          ...common,
          offer: {
            courseName,
            price: { amount: 9900, currency: 'CNY' },
            listPrice: { amount: 19900, currency: 'CNY' },
            qualifiedReferrals: 3,
          },
          next: { price: { amount: 0, currency: 'CNY' }, referralsNeeded: 7 },
          links: { ...common.links, offer: `${BASE}/offer?token=sample`, share: `${BASE}/r/K7Q2XWAB` },
        },
      };
    case 'receipt':
      return {
        kind,
        data: {
          ...common,
          order: {
            reference: 'CF-7Q2XWA',
            courseName,
            amount: { amount: 9900, currency: 'CNY' },
            paidAtLocal: '2026-03-08 21:15 GMT+8',
          },
        },
      };
    case 'refunded':
      return {
        kind,
        data: {
          ...common,
          order: { reference: 'CF-7Q2XWA', courseName },
          refund: { amount: { amount: 9900, currency: 'CNY' }, full: false },
        },
      };
    case 'rescheduled':
      return {
        kind,
        data: {
          ...common,
          schedule,
          calendar: { ...calendar, sequence: 1 },
          links: { ...common.links, calendar: calendarLink },
        },
      };
    case 'promoted':
      return { kind, data: { ...common, level: { name: zh ? '推广大使' : 'agent', commissionPercent: '10%' } } };
  }
}
