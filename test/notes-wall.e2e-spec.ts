import { cohortWithLessonMail } from './factories/homework-cohort';
import { studentInput } from './factories/student.factory';
import { ConsoleBrowser } from './support/console-browser';
import { StaffClient, TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';

interface Student {
  name: string;
  email: string;
  enrollmentId: string;
  /** The lesson page of class 1, with its signed token. */
  page: string;
  token: string;
}

interface WallItem {
  id: string;
  author: string | null;
  text: string;
  mine: boolean;
}

describe('the notes wall', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let cohortId: string;
  let otherCohortId: string;
  const students: Student[] = [];
  let stranger: Student;

  const byName = (name: string) => students.find((s) => s.name === name)!;
  const api = (s: Student) => ({
    checkIn: (lessonKey: string, body: object) =>
      t.http
        .post(`/api/me/enrollments/${s.enrollmentId}/lessons/${lessonKey}/check-in`)
        .set('X-Student-Token', s.token)
        .send(body),
    share: (lessonKey: string, text: unknown) =>
      t.http
        .put(`/api/me/enrollments/${s.enrollmentId}/lessons/${lessonKey}/shared-note`)
        .set('X-Student-Token', s.token)
        .send({ text }),
    withdraw: (lessonKey: string) =>
      t.http
        .delete(`/api/me/enrollments/${s.enrollmentId}/lessons/${lessonKey}/shared-note`)
        .set('X-Student-Token', s.token),
    wall: (lessonKey: string, after?: string) =>
      t.http
        .get(`/api/me/enrollments/${s.enrollmentId}/lessons/${lessonKey}/notes${after ? `?after=${after}` : ''}`)
        .set('X-Student-Token', s.token),
  });
  const wallOf = async (s: Student, lessonKey = 'v1'): Promise<WallItem[]> =>
    (await api(s).wall(lessonKey).expect(200)).body.items as WallItem[];
  const minute = (n: number) => t.clock.set(new Date(Date.parse('2026-03-01T12:00:00Z') + n * 60_000).toISOString());

  async function cohortOf(people: { name: string; email: string }[]) {
    t.clock.set('2026-02-20T00:00:00Z');
    const made = await cohortWithLessonMail(t, sink, people, { capacity: 20 });
    const joined = people.map((p) => {
      // A zh-CN mail puts its link right after a full-width colon, so read it by pattern.
      const mail = sink.to(p.email).find((m) => m.subject?.startsWith('Class 1'));
      const page = /\/l\/[0-9a-f]{24}\/v1\?token=[\w.-]+/.exec(String(mail?.text))![0];
      return {
        name: p.name,
        email: p.email,
        page,
        enrollmentId: /\/l\/([0-9a-f]{24})\//.exec(page)![1],
        token: new URL(`http://x${page}`).searchParams.get('token')!,
      };
    });
    return { ...made, joined };
  }

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    const names = [
      'Emma Clark',
      '王芳',
      'Li Lei',
      '欧阳娜娜',
      'Rate Limited',
      ...Array.from({ length: 8 }, (_, i) => `Pupil${i} X`),
    ];
    const main = await cohortOf(
      names.map((name, i) => studentInput({ name, locale: i === 1 || i === 3 ? 'zh-CN' : 'en' })),
    );
    staff = main.staff;
    cohortId = main.cohortId;
    students.push(...main.joined);
    const other = await cohortOf([studentInput({ name: 'Stranger Danger', locale: 'en' })]);
    otherCohortId = other.cohortId;
    stranger = other.joined[0]!;
  });
  afterAll(() => close());

  it('shares at check-in from the page form and the API, and shows classmates newest first by first name only', async () => {
    minute(5);
    const emma = byName('Emma Clark');
    // The page form: the checkbox "share with my group".
    const form = await t.http
      .post(`${emma.page.split('?')[0]}/check-in?token=${emma.token}`)
      .type('form')
      .send({ notes: 'Behaviour is a <message>.\r\nAsk first.', share: 'on' })
      .expect(303);
    expect(form.headers['location']).toBe(emma.page);
    minute(6);
    const wang = byName('王芳');
    const checkedIn = await api(wang).checkIn('v1', { notes: '先问需要，再回应。', share: true }).expect(200);
    expect(checkedIn.body).toMatchObject({
      checkedInAt: expect.any(String),
      sharedNote: { shared: true, hidden: false },
    });
    minute(7);
    // A check-in without sharing keeps its note for staff only.
    await api(byName('Li Lei')).checkIn('v1', { notes: 'Private thoughts' }).expect(200);

    const wall = await wallOf(byName('Li Lei'));
    expect(wall.map((n) => [n.author, n.text, n.mine])).toEqual([
      ['王同学', '先问需要，再回应。', false],
      ['Emma', 'Behaviour is a <message>.\nAsk first.', false],
    ]);
    expect(JSON.stringify(wall)).not.toMatch(/Clark|芳|@example/);
    expect((await wallOf(emma)).map((n) => n.mine)).toEqual([false, true]);

    // The lesson page shows the same wall, escaped, with the reader's own note marked.
    const page = await t.http.get(emma.page).expect(200);
    expect(page.text).toContain('Notes from your group');
    expect(page.text).toContain('Behaviour is a &lt;message&gt;.');
    expect(page.text).not.toContain('<message>');
    expect(page.text).toMatch(/<strong>Emma<\/strong> <span class="tag">mine<\/span>/);
    const zhPage = await t.http.get(byName('欧阳娜娜').page).expect(200);
    expect(zhPage.text).toContain('同学笔记');
    expect(zhPage.text).toContain('<strong>王同学</strong>');
    expect(zhPage.text).toContain('分享到班级');
  });

  it('refuses an over-long note naming the field, and records nothing then', async () => {
    minute(8);
    const ouyang = byName('欧阳娜娜');
    const tooLong = 'x'.repeat(1001);
    const refused = await api(ouyang).checkIn('v1', { notes: tooLong, share: true }).expect(400);
    expect(refused.body.details).toEqual({
      code: 'invalid_shared_note',
      fields: [{ field: 'notes', errors: ['a shared note is at most 1000 characters (this one has 1001)'] }],
    });
    const overview = await t.http
      .get(`/api/me/enrollments/${ouyang.enrollmentId}/lessons`)
      .set('X-Student-Token', ouyang.token)
      .expect(200);
    expect(overview.body.views.find((v: { lessonKey: string }) => v.lessonKey === 'v1').checkedInAt).toBeNull();
    // Sharing before checking in is refused; the page form is refused the same way.
    expect((await api(ouyang).share('v1', 'Hello').expect(422)).body.details.code).toBe('not_checked_in');
    await api(ouyang).share('v1', 42).expect(400);
    const page = await t.http
      .post(`${ouyang.page.split('?')[0]}/check-in?token=${ouyang.token}`)
      .type('form')
      .send({ notes: tooLong, share: 'on' })
      .expect(400);
    expect(page.text).toContain('notes: a shared note is at most 1000 characters');
    await api(ouyang).checkIn('v1', { share: true }).expect(400);

    // Checked in, an edit over the limit names `text`.
    await api(ouyang).checkIn('v1', {}).expect(200);
    const edit = await api(ouyang)
      .share('v1', `${'字'.repeat(1000)}!`)
      .expect(400);
    expect(edit.body.details.fields).toEqual([
      { field: 'text', errors: ['a shared note is at most 1000 characters (this one has 1001)'] },
    ]);
    await api(ouyang).share('v1', '字'.repeat(1000)).expect(200);
    expect((await wallOf(ouyang))[0]).toMatchObject({ author: '欧阳同学', mine: true });
    await api(ouyang).withdraw('v1').expect(200);
    expect((await wallOf(ouyang)).map((n) => n.author)).toEqual(['王同学', 'Emma']);
  });

  it('lets a student share after check-in, edit in place, stop, and share again on top', async () => {
    minute(9);
    const li = byName('Li Lei');
    const shared = await api(li).share('v1', 'My first take').expect(200);
    expect(shared.body).toMatchObject({ text: 'My first take', shared: true });
    expect((await wallOf(li)).map((n) => n.text)).toEqual([
      'My first take',
      '先问需要，再回应。',
      'Behaviour is a <message>.\nAsk first.',
    ]);
    minute(10);
    await api(byName('Emma Clark')).share('v1', 'Behaviour is a message. Edited.').expect(200);
    // The edit keeps Emma's place (below Li, whose note is newer).
    expect((await wallOf(li)).map((n) => n.author)).toEqual(['Li', '王同学', 'Emma']);
    await api(li).withdraw('v1').expect(200);
    expect((await wallOf(li)).map((n) => n.author)).toEqual(['王同学', 'Emma']);
    // The page's own forms do the same, without JavaScript.
    minute(11);
    await t.http
      .post(`${li.page.split('?')[0]}/shared-note?token=${li.token}`)
      .type('form')
      .send({ text: 'Back again' })
      .expect(303);
    expect((await wallOf(li)).map((n) => n.author)).toEqual(['Li', '王同学', 'Emma']);
    await t.http.post(`${li.page.split('?')[0]}/shared-note/withdraw?token=${li.token}`).expect(303);
    expect((await wallOf(li)).map((n) => n.author)).toEqual(['王同学', 'Emma']);
    // Check-in notes stay the staff's record, apart from the shared note.
    const history = await staff.get(`/api/cohorts/${cohortId}/enrollments/${li.enrollmentId}/attendance`).expect(200);
    expect(history.body[0].notes).toBe('Private thoughts');
  });

  it('pages the wall newest first with a cursor, on the API and on the page', async () => {
    const pupils = students.filter((s) => s.name.startsWith('Pupil'));
    for (const [i, p] of pupils.entries()) {
      minute(20 + i);
      await api(p)
        .checkIn('v1', { notes: `Note of ${p.name}`, share: true })
        .expect(200);
    }
    minute(30);
    await api(byName('Li Lei')).share('v1', 'Latest of all').expect(200);
    const reader = byName('Rate Limited');
    const first = await api(reader).wall('v1').expect(200);
    expect(first.body.items).toHaveLength(10);
    expect(first.body.items.map((n: WallItem) => n.author).slice(0, 3)).toEqual(['Li', 'Pupil7', 'Pupil6']);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await api(reader).wall('v1', first.body.next).expect(200);
    expect(second.body.items.map((n: WallItem) => n.author)).toEqual(['Emma']);
    expect(second.body.next).toBeNull();
    await api(reader).wall('v1', 'not-a-cursor').expect(400);

    const page = await t.http.get(reader.page).expect(200);
    const older = /href="(v1\?[^"]*wall&#x3D;[^"]+)#wall"/
      .exec(page.text)?.[1]
      ?.replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    expect(older).toBeDefined();
    const next = await t.http.get(`${reader.page.split('?')[0].replace(/\/v1$/, '')}/${older}`).expect(200);
    expect(next.text).toContain('<strong>Emma</strong>');
    expect(next.text).not.toContain('Pupil7');
    expect(next.text).toContain('Back to the newest');
    // The forms on a later page still post with the signed token only.
    expect(next.text).toMatch(/action="v1\/homework\?token&#x3D;[^"&]+"/);
  });

  it("keeps other cohorts' and other classes' notes off the wall", async () => {
    minute(40);
    await api(stranger).checkIn('v1', { notes: 'From another cohort', share: true }).expect(200);
    expect((await wallOf(byName('Emma Clark'))).map((n) => n.text)).not.toContain('From another cohort');
    expect((await wallOf(stranger)).map((n) => n.text)).toEqual(['From another cohort']);
    // Another student's enrolment is not the reader's.
    await t.http
      .get(`/api/me/enrollments/${byName('Emma Clark').enrollmentId}/lessons/v1/notes`)
      .set('X-Student-Token', stranger.token)
      .expect(403);
    // Class 2 opens two days later: its wall has only its own notes.
    t.clock.set('2026-03-03T12:05:00Z');
    await api(byName('Emma Clark')).checkIn('c1', { notes: 'Class two note', share: true }).expect(200);
    expect((await wallOf(byName('Li Lei'), 'c1')).map((n) => n.text)).toEqual(['Class two note']);
    expect((await wallOf(byName('Li Lei'))).map((n) => n.text)).not.toContain('Class two note');
  });

  it('lets staff list, hide with a reason (at once, idempotently) and show again, within their scope', async () => {
    const listed = await staff.get(`/api/cohorts/${cohortId}/notes?lessonKey=v1&limit=2`).expect(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items[0]).toMatchObject({ lessonKey: 'v1', author: 'Li', state: 'visible', hiding: null });
    const rest = await staff.get(`/api/cohorts/${cohortId}/notes?lessonKey=v1&after=${listed.body.next}`).expect(200);
    expect(rest.body.items).toHaveLength(9);
    const emmaNote = rest.body.items.find((n: { author: string }) => n.author === 'Emma');

    t.clock.set('2026-03-03T13:00:00Z');
    await staff.post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, { reason: '  ' }).expect(400);
    const missing = await staff.post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, {}).expect(400);
    expect(missing.body.details.fields[0].field).toBe('reason');
    const hidden = await staff
      .post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, { reason: 'Names another student' })
      .expect(200);
    expect(hidden.body).toMatchObject({
      state: 'hidden',
      hiding: { reason: 'Names another student', at: '2026-03-03T13:00:00.000Z', byName: expect.any(String) },
    });
    // Gone from the wall at once; the author sees only that it is hidden.
    expect((await wallOf(byName('Li Lei'))).map((n) => n.author)).not.toContain('Emma');
    const emmaPage = await t.http.get(byName('Emma Clark').page).expect(200);
    expect(emmaPage.text).toContain('Your instructor has hidden this note from the wall.');
    expect(emmaPage.text).not.toContain('Names another student');
    // Editing does not bring it back.
    await api(byName('Emma Clark')).share('v1', 'Trying again').expect(200);
    expect((await wallOf(byName('Li Lei'))).map((n) => n.author)).not.toContain('Emma');
    // Twice is once: the first reason stands.
    t.clock.set('2026-03-03T13:05:00Z');
    const again = await staff
      .post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, { reason: 'Another reason' })
      .expect(200);
    expect(again.body.hiding).toMatchObject({ reason: 'Names another student', at: '2026-03-03T13:00:00.000Z' });
    expect(again.body.moderation).toHaveLength(1);
    const hiddenList = await staff.get(`/api/cohorts/${cohortId}/notes?state=hidden`).expect(200);
    expect(hiddenList.body.items.map((n: { id: string }) => n.id)).toEqual([emmaNote.id]);

    const shown = await staff.post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/unhide`).expect(200);
    expect(shown.body).toMatchObject({ state: 'visible', hiding: null });
    expect(shown.body.moderation.map((m: { action: string }) => m.action)).toEqual(['hidden', 'unhidden']);
    expect(shown.body.moderation[0].reason).toBe('Names another student');
    const reader = api(byName('Li Lei'));
    const pageOne = (await reader.wall('v1').expect(200)).body as { items: WallItem[]; next: string };
    const pageTwo = (await reader.wall('v1', pageOne.next).expect(200)).body as { items: WallItem[] };
    expect(pageTwo.items.map((n) => n.author)).toEqual(['Emma']);

    // Scope and roles: a note of another cohort, a partner of another organisation, a student.
    await staff.post(`/api/cohorts/${otherCohortId}/notes/${emmaNote.id}/hide`, { reason: 'x' }).expect(404);
    await staff.get(`/api/cohorts/${cohortId}/notes?state=gone`).expect(400);
    const admin = t.asStaff(await t.token('admin'));
    await admin.get(`/api/cohorts/${cohortId}/notes`).expect(200);
    const org = await admin.post('/api/partners', { name: 'Notes Partner' }).expect(201);
    const partnerToken = (await admin.post(`/api/partners/${org.body.id}/tokens`, { name: 'p' }).expect(201)).body
      .token as string;
    const partner = t.asStaff(partnerToken);
    await partner.get(`/api/cohorts/${cohortId}/notes`).expect(404);
    await partner.post(`/api/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, { reason: 'x' }).expect(404);
    await t.http.get(`/api/cohorts/${cohortId}/notes`).set('X-Student-Token', stranger.token).expect(401);

    // The console page: notes per class, hide with a reason (errors in place), hidden with theirs.
    const browser = new ConsoleBrowser(t);
    const csrf = await browser.signIn(await t.token('instructor', 'Ms Notes'));
    const consolePage = await browser.get(`/console/cohorts/${cohortId}/notes`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.text).toContain('Class 1: Noticing');
    expect(consolePage.text).toContain('Latest of all');
    const refused = await browser.post(`/console/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, {
      _csrf: csrf,
      [`reason-${emmaNote.id}`]: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('say why the note is hidden');
    const done = await browser.post(`/console/cohorts/${cohortId}/notes/${emmaNote.id}/hide?lesson=v1`, {
      _csrf: csrf,
      [`reason-${emmaNote.id}`]: 'Off topic',
    });
    expect(done.status).toBe(303);
    expect(done.headers['location']).toBe(`/console/cohorts/${cohortId}/notes?lesson=v1#note-${emmaNote.id}`);
    const after = await browser.get(`/console/cohorts/${cohortId}/notes?state=hidden`);
    expect(after.text).toContain('Off topic');
    expect(after.text).toContain('Hidden by Ms Notes');
    expect((await browser.post(`/console/cohorts/${cohortId}/notes/${emmaNote.id}/hide`, {})).status).toBe(403);
    const partnerBrowser = new ConsoleBrowser(t);
    await partnerBrowser.signIn(partnerToken);
    expect((await partnerBrowser.get(`/console/cohorts/${cohortId}/notes`)).status).toBe(404);
    expect((await browser.get(`/console/cohorts/${cohortId}`)).text).toContain(`/console/cohorts/${cohortId}/notes`);
  });

  it('limits how often a student shares or edits, per hour', async () => {
    const student = byName('Rate Limited');
    t.clock.set('2026-03-03T14:00:00Z');
    await api(student).checkIn('c1', { notes: 'One', share: true }).expect(200);
    for (let i = 2; i <= 10; i++) await api(student).share('c1', `Edit ${i}`).expect(200);
    const blocked = await api(student).share('c1', 'Edit 11').expect(429);
    expect(blocked.body.details).toMatchObject({ code: 'too_many_shares', info: { limit: 10 } });
    // Stopping is always allowed; the next hour admits shares again.
    await api(student).withdraw('c1').expect(200);
    t.clock.set('2026-03-03T15:00:00Z');
    await api(student).share('c1', 'Next hour').expect(200);
  });

  it('counts the notes shared per class in the funnel report', async () => {
    const report = await staff.get(`/api/cohorts/${cohortId}/funnel`).expect(200);
    // v1: Emma, 王芳, 欧阳娜娜 (since stopped), Li, 8 pupils; c1: Emma, Rate Limited.
    expect(report.body.notesShared).toEqual([
      { lessonKey: 'v1', shared: 12, ofAttended: expect.any(Number) },
      { lessonKey: 'c1', shared: 2, ofAttended: 1 },
    ]);
    expect(report.body.steps[0]).toMatchObject({ step: 'enrolled' });
  });
});
