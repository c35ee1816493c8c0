import { openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { createFunnelTestApp, FunnelStudents, Joined } from './support/funnel-students';
import { linkIn } from './support/mail-links';
import { releaseAndSend, SmtpSink } from './support/smtp-sink';

const START = '2026-03-02T12:00:00Z';
const cny = (amount: number) => ({ amount, currency: 'CNY' });

/** Three free classes two hours apart (homework on the first only), a ladder, an offer 30 min after the last. */
const sharingFunnel = {
  name: 'Sharing funnel',
  defaultLocale: 'en',
  lessons: [
    {
      key: 'v1',
      phase: 'value',
      title: 'Class 1',
      body: 'Hello {{student.name}}',
      release: { after: 'PT0S' },
      homework: {
        prompt: 'Write down one thing you noticed',
        dueAfter: 'P1D',
        maxScore: 10,
        passScore: 6,
        rubric: [{ key: 'notice', name: 'Notices one thing', points: 10 }],
        latePolicy: { kind: 'refuse' },
        resubmitBeforeGrading: true,
      },
    },
    { key: 'v2', phase: 'value', title: 'Class 2', body: 'Just listen today', release: { after: 'PT2H' } },
    { key: 'c1', phase: 'closing', title: 'Class 3', body: 'Closing', release: { after: 'PT4H' } },
  ],
  offer: {
    courseName: 'Coaching',
    description: 'Twenty-one days with a coach.\n\n- one exercise a day\n- <script>alert(1)</script>weekly Q&A',
    listPrice: cny(19900),
    openAfter: 'PT30M',
    deadlineAfter: 'P2D',
    priceTiers: [
      { minReferrals: 3, price: cny(9900) },
      { minReferrals: 10, price: cny(0) },
    ],
  },
};

describe('sharing from class 1: every student mail and page carries the link, the price and the next rung', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;

  beforeAll(async () => {
    ({ t, sink, close, staff, students } = await createFunnelTestApp());
    t.clock.set('2026-03-01T00:00:00Z');
  });
  afterAll(() => close());

  const mailOf = (student: Joined, subject: string) => {
    const mail = sink.to(student.email).find((m) => m.subject?.startsWith(subject));
    if (!mail)
      throw new Error(
        `no mail "${subject}" to ${student.email}: ${sink
          .to(student.email)
          .map((m) => m.subject)
          .join(', ')}`,
      );
    return mail;
  };

  it('shows the share block in the welcome, each lesson, the lesson page and the offer, in each locale, and keeps it current', async () => {
    const funnelId = (await staff.post('/api/funnels', sharingFunnel).expect(201)).body.id as string;
    const { cohortId } = await openLadderCohort(staff, START, { funnelId });
    const ann = await students.join(cohortId, studentInput({ locale: 'en', name: 'Ann' }));
    const bao = await students.join(cohortId, studentInput({ locale: 'zh-CN', name: '包包' }));

    // The page that confirms the place already has the link to share.
    const confirmed = await students.confirm(ann);
    const shareUrl = /href="(http:\/\/localhost:3000\/r\/[A-Z0-9]+)" data-testid="share-link"/.exec(confirmed)?.[1];
    expect(shareUrl).toBeDefined();
    expect(confirmed).toContain('Your price: CN¥199.00 · <strong>3 more friends: CN¥99.00</strong>');
    await students.confirm(bao);

    await releaseAndSend(t);
    const welcome = mailOf(ann, 'Welcome');
    expect(welcome.text).toContain(`Invite friends to the free classes with your own link: ${shareUrl}`);
    expect(welcome.text).toContain('Your price: CN¥199.00 · 3 more friends: CN¥99.00');
    expect(welcome.html).toContain(`<a href="${shareUrl}"`);
    expect(welcome.text).toContain('hand in the short homework');
    const baoWelcome = mailOf(bao, '欢迎加入');
    expect(baoWelcome.text).toContain('用您的专属链接邀请好友来听免费课：');
    expect(baoWelcome.text).toContain('您的价格：¥199.00 · 再邀请 3 位好友：¥99.00');
    expect(baoWelcome.text).not.toContain(shareUrl as string); // Bao's own link, not Ann's

    // Class 1 (with homework): the lesson mail carries the same link; its own signed link opens
    // the student's price and referrals, not only a staff-issued one.
    t.clock.set('2026-03-02T12:01:00Z');
    await releaseAndSend(t);
    const lesson1 = mailOf(ann, 'Class 1');
    expect(lesson1.text).toContain(`${shareUrl}\nYour price: CN¥199.00 · 3 more friends: CN¥99.00`);
    expect(lesson1.text).toContain('Check in and hand in your homework:');
    const lessonLink = linkIn(lesson1.text, /\/l\/[0-9a-f]{24}\/v1/);
    const token = new URL(lessonLink, 'http://x').searchParams.get('token') as string;
    const price = await t.http.get(`/api/me/price?enrollmentId=${ann.enrollmentId}&token=${token}`).expect(200);
    expect(price.body).toMatchObject({ price: cny(19900), next: { price: cny(9900), referralsNeeded: 3 } });
    const mine = await t.http
      .get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)
      .set('X-Student-Token', token)
      .expect(200);
    expect(mine.body.shareUrl).toBe(shareUrl);
    // ...and still opens nothing that is not the student's: another student's enrolment is refused.
    await t.http.get(`/api/me/price?enrollmentId=${bao.enrollmentId}&token=${token}`).expect(403);
    const page = await t.http.get(lessonLink).expect(200);
    expect(page.text).toContain(`href="${shareUrl}" data-testid="share-link"`);
    expect(page.text).toContain(
      '<p data-testid="share-price">Your price: CN¥199.00 · <strong>3 more friends: CN¥99.00</strong></p>',
    );

    // Three friends sign up with Ann's link and come to class 1: the next mail has her new price.
    const code = (shareUrl as string).split('/r/')[1];
    const friends = await students.joinMany(
      cohortId,
      Array.from({ length: 3 }, () => studentInput({ locale: 'en' })),
      code,
    );
    for (const friend of friends) {
      await students.confirm(friend);
      await students.attend(friend, 'v1');
    }
    t.clock.set('2026-03-02T14:01:00Z');
    await releaseAndSend(t);
    const lesson2 = mailOf(ann, 'Class 2');
    expect(lesson2.text).toContain('Your price: CN¥99.00 (instead of CN¥199.00) · 7 more friends: free');
    // No homework on class 2: the mail does not speak of it.
    expect(lesson2.text).toContain('Check in: http');
    expect(lesson2.text).not.toMatch(/homework/i);

    // The offer goes out 30 minutes after the last closing class (the funnel's openAfter), not before.
    t.clock.set('2026-03-02T16:29:00Z');
    await releaseAndSend(t);
    expect(sink.to(ann.email).some((m) => m.subject?.startsWith('Your price for Coaching'))).toBe(false);
    t.clock.set('2026-03-02T16:31:00Z');
    await releaseAndSend(t);
    const offer = mailOf(ann, 'Your price for Coaching: CN¥99.00');
    expect(offer.text).toContain(`Invite friends to the free classes with your own link: ${shareUrl}`);
    expect(offer.text).toContain('7 more friends: free');

    // The offer page shows the course description, sanitised.
    const offerPage = await t.http.get(linkIn(offer.text, /\/o\/[0-9a-f]{24}/)).expect(200);
    expect(offerPage.text).toContain('<article data-testid="description"><p>Twenty-one days with a coach.</p>');
    expect(offerPage.text).toContain('<li>one exercise a day</li>');
    expect(offerPage.text).not.toContain('<script>alert(1)</script>');
  });

  it('refuses an offer that would go out after its own deadline, and a homework without its late policy, naming the field', async () => {
    const late = await staff
      .post('/api/funnels', { ...sharingFunnel, offer: { ...sharingFunnel.offer, openAfter: 'P3D' } })
      .expect(400);
    expect(late.body.details.fields).toEqual([
      { field: 'offer.openAfter', errors: ['the offer must go out before its deadline (deadlineAfter)'] },
    ]);
    const [first, ...rest] = sharingFunnel.lessons;
    const { latePolicy: _dropped, ...homework } = first.homework as NonNullable<typeof first.homework>;
    const noPolicy = await staff
      .post('/api/funnels', { ...sharingFunnel, lessons: [{ ...first, homework }, ...rest] })
      .expect(400);
    expect(noPolicy.body.details.fields).toEqual([
      { field: 'lessons.0.homework.latePolicy', errors: ['latePolicy must be an object'] },
    ]);
  });
});
