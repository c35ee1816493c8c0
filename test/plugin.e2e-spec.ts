import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { ApiTokensService, COURSE_FUNNEL_CONNECTION, CourseFunnelModule } from '../src';
import { TEST_SECRET } from './support/create-test-app';
import { testDatabaseUri } from './support/test-database';

/** A host application's own route, which the module must leave alone. */
@Controller('shop')
class ShopController {
  @Get()
  hello(): { shop: string } {
    return { shop: 'open' };
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({
  providers: [{ provide: 'HOST_SETTINGS', useValue: { uri: testDatabaseUri('plugin') } }],
  exports: ['HOST_SETTINGS'],
})
class HostSettingsModule {}

describe('mounting CourseFunnelModule in a host application', () => {
  let app: INestApplication;
  let http: ReturnType<typeof supertest>;

  beforeAll(async () => {
    const mailDir = await mkdtemp(join(tmpdir(), 'cf-host-mail-'));
    @Module({
      imports: [
        CourseFunnelModule.forRootAsync({
          routePrefix: 'funnel',
          imports: [HostSettingsModule],
          inject: ['HOST_SETTINGS'],
          useFactory: (settings: { uri: string }) => ({
            mongodbUri: settings.uri,
            appSecret: TEST_SECRET,
            publicBaseUrl: 'https://host.example/funnel',
            mail: { from: 'School <school@example.test>', mailDir },
            bootstrapAdminToken: false,
          }),
        }),
      ],
      controllers: [ShopController],
    })
    class HostAppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [HostAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    http = supertest(app.getHttpServer());
  });
  afterAll(async () => {
    await app.get<Connection>(getConnectionToken(COURSE_FUNNEL_CONNECTION)).dropDatabase();
    await app.close();
  });

  it('serves the module under the chosen prefix', async () => {
    const health = await http.get('/funnel/health').expect(200);
    expect(health.body.status).toBe('ok');
    await http.get('/health').expect(404);
  });

  it('exposes its services to the host (module API) and enforces its guards on its routes', async () => {
    const { token } = await app.get(ApiTokensService).issue('instructor', 'host-issued');
    await http.get('/funnel/api/students').expect(401);
    const created = await http
      .post('/funnel/api/students')
      .auth(token, { type: 'bearer' })
      .send({ email: 'host.student@example.test', name: 'Host Student' })
      .expect(201);
    const link = await http
      .post(`/funnel/api/students/${created.body.id}/access-link`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(link.body.url).toMatch(/^https:\/\/host\.example\/funnel\/api\/me\?token=/);
    await http.get('/funnel/api/me').query({ token: link.body.token }).expect(200);
  });

  it('validates its own input but leaves the host routes untouched', async () => {
    await http.get('/shop').expect(200, { shop: 'open' });
    // No whitelist or validation leaks onto the host's routes.
    await http
      .post('/shop/echo')
      .send({ anything: { $ne: 1 } })
      .expect(201, { anything: { $ne: 1 } });
    const { token } = await app.get(ApiTokensService).issue('instructor', 'host-issued-2');
    const bad = await http
      .post('/funnel/api/students')
      .auth(token, { type: 'bearer' })
      .send({ email: 'x' })
      .expect(400);
    expect(bad.body.message).toMatch(/^email: /);
  });
});
