import { Get } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE, Staff } from '../src/auth/access.decorators';
import { ApiController } from '../src/common/api-controller.decorator';
import { SCOPE_RULES } from '../src/common/organization-scope';
import { createTestApp, TestApp } from './support/create-test-app';

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
        if (access?.kind !== 'staff' || !access.roles?.includes('partner')) continue;
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
