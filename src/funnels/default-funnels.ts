import { FunnelContent, LessonSpec } from './funnel-content';
import { ReleaseOffset } from '../schedule/schedule.rules';

/** A seeded funnel: a fixed id makes seeding idempotent across instances and restarts. */
export interface DefaultFunnel {
  id: string;
  content: FunnelContent;
}

const at20 = (day: number): ReleaseOffset => ({ after: `P${day}D`, at: '20:00' });

/**
 * The lessons of a "3 + 4" funnel: the first three are value classes (v1-v3), the rest closing
 * classes (c1, c2, ...), each released when `release` says.
 */
export function threePlusFourLessons(
  titles: string[],
  bodies: string[],
  release: (index: number) => ReleaseOffset = at20,
): LessonSpec[] {
  return titles.map((title, i) => ({
    key: i < 3 ? `v${i + 1}` : `c${i - 2}`,
    phase: i < 3 ? 'value' : 'closing',
    title,
    body: bodies[i] ?? '',
    release: release(i),
  }));
}

/** The "3 + 4" funnel: three free value classes, four free closing classes, then the paid offer. */
export const defaultFunnels: DefaultFunnel[] = [
  {
    id: '00000000000000000000a3c4',
    content: {
      name: '3 + 4 家庭教育训练营',
      defaultLocale: 'zh-CN',
      lessons: threePlusFourLessons(
        [
          '第一课：看见孩子行为背后的需要',
          '第二课：情绪稳定的父母从哪里来',
          '第三课：把"说教"换成"对话"',
          '第四课：家庭规则怎么定才有效',
          '第五课：学习动力的三个来源',
          '第六课：亲子冲突的修复练习',
          '第七课：21 天陪伴计划与答疑',
        ],
        [
          '{{student.name}}，欢迎来到第一课。今晚我们从一个真实的家庭场景开始……\n\n**课后作业**：记录孩子今天的一个行为，以及你当时的反应。',
          '今晚聊聊父母自己的情绪：觉察、暂停、回应。\n\n**课后作业**：写下一次你情绪失控的经过。',
          '把命令句换成提问句，孩子会更愿意开口。\n\n**课后作业**：用三个开放式问题和孩子聊一次天。',
          '规则少而清楚，后果提前约定。',
          '兴趣、胜任感、归属感：孩子为什么愿意学。',
          '吵完之后怎么和好：修复比不吵更重要。',
          '把七节课的方法变成 21 天的行动计划，并介绍正式课程。',
        ],
      ),
      offer: {
        courseName: '21 天家庭教育陪伴营',
        description:
          '21 天，每天 15 分钟：把七节免费课里的方法用在自己家里。\n\n- 每天一个小练习，老师在群里点评\n- 每周一次直播答疑\n- 结营时拿到一份属于你家的行动计划',
        listPrice: { amount: 19900, currency: 'CNY' },
        openAfter: 'PT2H',
        deadlineAfter: 'P2D',
        // 推荐 3 位好友 99 元，推荐 10 位免费。
        priceTiers: [
          { minReferrals: 3, price: { amount: 9900, currency: 'CNY' } },
          { minReferrals: 10, price: { amount: 0, currency: 'CNY' } },
        ],
        priceProtectionDays: 7,
      },
    },
  },
  {
    id: '00000000000000000000e3c4',
    content: {
      name: '3 + 4 Parenting Bootcamp',
      defaultLocale: 'en',
      lessons: threePlusFourLessons(
        [
          'Class 1: The need behind the behaviour',
          'Class 2: Where calm parents come from',
          'Class 3: From lecturing to conversation',
          'Class 4: Family rules that work',
          'Class 5: Three sources of motivation to learn',
          'Class 6: Repairing after a conflict',
          'Class 7: Your 21-day plan, and Q&A',
        ],
        [
          'Welcome to class 1, {{student.name}}. Tonight we start from a real family scene...\n\n**Homework**: note one thing your child did today and how you reacted.',
          'Tonight is about our own emotions: notice, pause, respond.\n\n**Homework**: describe a moment you lost your temper.',
          'Questions open doors that orders close.\n\n**Homework**: ask your child three open questions.',
          'Few rules, clearly stated, consequences agreed in advance.',
          'Interest, competence, belonging: why children want to learn.',
          'After the argument: repair matters more than never arguing.',
          'Turn the seven classes into a 21-day plan, and meet the full course.',
        ],
      ),
      offer: {
        courseName: '21-Day Parenting Coaching',
        description:
          'Twenty-one days, fifteen minutes a day: put what the seven free classes showed to work in your own home.\n\n- One small exercise a day, with a coach’s feedback in the group\n- A live Q&A every week\n- A plan of your own for your family at the end',
        listPrice: { amount: 4900, currency: 'USD' },
        openAfter: 'PT2H',
        deadlineAfter: 'P2D',
        priceTiers: [
          { minReferrals: 3, price: { amount: 2900, currency: 'USD' } },
          { minReferrals: 10, price: { amount: 0, currency: 'USD' } },
        ],
        priceProtectionDays: 7,
      },
    },
  },
];
