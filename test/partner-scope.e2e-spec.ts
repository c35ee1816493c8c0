import { Get } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, Staff } from '../src/auth/access.decorators';
import { ApiController } from '../src/http/api-controller.decorator';
import { AttendanceReports } from '../src/attendance/attendance-reports.service';
import { CohortsService } from '../src/cohorts/cohorts.service';
import { ALL_ORGANIZATIONS, Tenancy } from '../src/common/tenancy';
import { SCOPE_RULES } from '../src/auth/organization-scope';
import { EnrollmentsService } from '../src/enrollments/enrollments.service';
import { FunnelsService } from '../src/funnels/funnels.service';
import { OrdersService } from '../src/orders/orders.service';
import { PartnersService } from '../src/partners/partners.service';
import { ReferralsService } from '../src/referrals/referrals.service';
import { openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { createTestApp, TestApp } from './support/create-test-app';
import { createFunnelTestApp } from './support/funnel-students';

/** A route that forgot to say whose data it shows. */
@ApiController('api/leaky', 'leaky')
@Staff('instructor', 'partner')
class LeakyController {
  @Get()
  everything(): { organizations: string } {
    return { organizations: 'all of them' };
  }
}

describe('partner scope by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ controllers: [LeakyController] });
  });
  afterAll(() => t.close());

  it('refuses a partner on a route that declares no scope, and lets platform staff through', async () => {
    const partner = await t.token('partner');
    const refused = await t.asStaff(partner).get('/api/leaky').expect(403);
    expect(refused.body).toMatchObject({ details: { code: 'scope_undeclared' } });
    expect(JSON.stringify(refused.body)).not.toContain('all of them');
    await t
      .asStaff(await t.token('instructor'))
      .get('/api/leaky')
      .expect(200);
  });

  it('has every partner-reachable route of the module declare its scope', () => {
    const reflector = t.app.get(Reflector);
    const scanner = t.app.get(MetadataScanner);
    const undeclared: string[] = [];
    let partnerRoutes = 0;
    for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type || type === LeakyController || !wrapper.instance) continue;
      const prototype = Object.getPrototypeOf(wrapper.instance) as object;
      for (const method of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, () => unknown>)[method];
        const access = reflector.getAllAndOverride<{ kind: string; roles?: string[] } | undefined>(ACCESS_RULE, [
          handler,
          type,
        ]);
        if ((access?.kind !== 'staff' && access?.kind !== 'console') || !access.roles?.includes('partner')) continue;
        partnerRoutes++;
        if (reflector.getAllAndOverride(SCOPE_RULES, [handler, type]) === undefined) {
          undeclared.push(`${type.name}.${method}`);
        }
      }
    }
    expect(partnerRoutes).toBeGreaterThan(30);
    expect(undeclared).toEqual([]);
  });
});

describe('tenancy in the services, not only at the route', () => {
  it("gives a host app's own code, calling the services with a partner's tenancy, none of another's data", async () => {
    const { t, close, staff, students } = await createFunnelTestApp();
    try {
      t.clock.set('2026-03-01T00:00:00Z');
      const admin = t.asStaff(await t.token('admin'));
      const partner = (await admin.post('/api/partners', { name: 'Chengdu Parents' }).expect(201)).body.id as string;
      const other = (await admin.post('/api/partners', { name: 'Xian Parents' }).expect(201)).body.id as string;
      // A platform cohort with a student who ordered the course.
      const { funnelId, cohortId } = await openLadderCohort(staff, '2026-03-02T12:00:00Z');
      const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
      await students.confirm(ann);
      const me = students.me(ann, 'offer');
      const quote = (await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body;
      const orderId = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body.order.id as string;

      const theirs: Tenancy = { kind: 'organization', organizationId: partner };
      const reads = (tenancy: Tenancy) => ({
        cohort: () => t.app.get(CohortsService).get(cohortId, tenancy),
        funnel: () => t.app.get(FunnelsService).get(funnelId, tenancy),
        funnelVersion: () => t.app.get(FunnelsService).getVersion(funnelId, 1, tenancy),
        order: () => t.app.get(OrdersService).view(orderId, tenancy),
        orders: () => t.app.get(OrdersService).list({ cohortId }, tenancy, 10),
        enrollments: () => t.app.get(EnrollmentsService).list(cohortId, tenancy, 10),
        attendance: () => t.app.get(AttendanceReports).matrixPage(cohortId, tenancy, 10),
        referrals: () => t.app.get(ReferralsService).ofCohort(cohortId, tenancy, 10),
        organization: () => t.app.get(PartnersService).get(other, tenancy),
      });
      // Platform staff (and internal jobs) read all of it ...
      for (const [name, read] of Object.entries(reads(ALL_ORGANIZATIONS))) {
        await expect(read().then(() => name)).resolves.toBe(name);
      }
      // ... a partner's tenancy none of it: each answers "not found", as if it did not exist.
      for (const [name, read] of Object.entries(reads(theirs))) {
        await expect(read().then(() => `${name} was read`)).rejects.toMatchObject({ kind: 'not_found' });
      }
      // A listing across cohorts must name one of the partner's own.
      await expect(t.app.get(OrdersService).list({}, theirs, 10)).rejects.toMatchObject({
        kind: 'invalid',
        message: 'cohortId: is required for partner staff',
      });
      expect((await t.app.get(OrdersService).list({}, ALL_ORGANIZATIONS, 10)).items.map((o) => o.id)).toEqual([
        orderId,
      ]);
    } finally {
      await close();
    }
  });
});
