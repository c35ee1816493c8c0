import { SignedLinksService } from '../../src/auth/signed-links.service';
import { CourseFunnelOptions } from '../../src/config/course-funnel.options';
import { RELAXED_SUSPICION } from '../factories/ladder-funnel';
import { StaffClient, TestApp } from './create-test-app';
import { createMailTestApp } from './smtp-sink';

export interface Joined {
  enrollmentId: string;
  studentId: string;
  email: string;
}

/**
 * Students going through a funnel over HTTP, with signed links issued the way the mails issue them
 * (tests that check the mails themselves read them from the SMTP sink instead).
 */
export class FunnelStudents {
  private readonly links: SignedLinksService;

  constructor(
    private readonly t: TestApp,
    private readonly staff: StaffClient,
  ) {
    this.links = t.app.get(SignedLinksService);
  }

  /** Signs up through the public API (optionally with a referral code) and finds the enrolment. */
  async join(cohortId: string, person: { email: string; name: string }, referralCode?: string): Promise<Joined> {
    const [joined] = await this.joinMany(cohortId, [person], referralCode);
    return joined;
  }

  /** Many sign-ups at once (racing, as a busy share link brings them), found in one listing. */
  async joinMany(
    cohortId: string,
    people: { email: string; name: string }[],
    referralCode?: string,
  ): Promise<Joined[]> {
    await Promise.all(
      people.map((person) =>
        this.t.http
          .post(`/api/cohorts/${cohortId}/enrollments`)
          .send({ ...person, ...(referralCode ? { referralCode } : {}) })
          .expect(202),
      ),
    );
    const all = new Map((await this.all(cohortId)).map((e) => [e.email.toLowerCase(), e]));
    return people.map((p) => {
      const found = all.get(p.email.toLowerCase());
      if (!found) throw new Error(`no enrolment of ${p.email} in ${cohortId}`);
      return found;
    });
  }

  async find(cohortId: string, email: string): Promise<Joined> {
    const all = await this.all(cohortId);
    const found = all.find((e) => e.email.toLowerCase() === email.toLowerCase());
    if (!found) throw new Error(`no enrolment of ${email} in ${cohortId}`);
    return found;
  }

  async all(cohortId: string): Promise<Joined[]> {
    const page = await this.staff.get(`/api/cohorts/${cohortId}/enrollments?limit=1000`).expect(200);
    return (page.body.items as { id: string; studentId: string; email: string }[]).map((e) => ({
      enrollmentId: e.id,
      studentId: e.studentId,
      email: e.email,
    }));
  }

  token(student: Joined, scope = 'student', path = '/api/me'): string {
    return this.links.issue(student.studentId, path, scope).token;
  }

  /** Confirms through the confirmation page, as the mail's link does; returns the page. */
  async confirm(student: Joined): Promise<string> {
    const token = this.token(student, 'confirm', `/e/${student.enrollmentId}/confirm`);
    const page = await this.t.http.post(`/e/${student.enrollmentId}/confirm?token=${token}`).expect(200);
    return page.text;
  }

  /** Opens a lesson's page through its signed link (which records the student as joined). */
  async attend(student: Joined, lessonKey: string): Promise<void> {
    const path = `/l/${student.enrollmentId}/${lessonKey}`;
    await this.t.http.get(`${path}?token=${this.token(student, 'lesson', path)}`).expect(200);
  }

  me(student: Joined, scope = 'student') {
    const token = this.token(student, scope);
    return {
      get: (path: string) => this.t.http.get(path).set('X-Student-Token', token),
      post: (path: string, body: object = {}) => this.t.http.post(path).set('X-Student-Token', token).send(body),
    };
  }
}

/**
 * A test app with mail to an SMTP sink for the growth features (referrals, orders, commissions):
 * the suspicion limits raised out of the way, an instructor, and students who go through funnels.
 */
export async function createFunnelTestApp(overrides: Partial<CourseFunnelOptions> = {}) {
  const { t, sink, close } = await createMailTestApp({
    overrides: { referralSuspicion: RELAXED_SUSPICION, ...overrides },
  });
  const staff = t.asStaff(await t.token('instructor'));
  return { t, sink, close, staff, students: new FunnelStudents(t, staff) };
}
