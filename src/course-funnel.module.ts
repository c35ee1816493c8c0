import {
  DynamicModule,
  Global,
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  Provider,
  RequestMethod,
} from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { ScheduleModule } from '@nestjs/schedule';
import { Connection } from 'mongoose';
import { AuthModule } from './auth/auth.module';
import { Clock, SystemClock } from './common/clock';
import { DomainHooks } from './events/domain-hooks';
import { OrganizationScopes } from './auth/organization-scope';
import { RequestLogMiddleware } from './http/request-log.middleware';
import {
  COURSE_FUNNEL_OPTIONS,
  CourseFunnelAsyncOptions,
  CourseFunnelOptions,
  ResolvedCourseFunnelOptions,
} from './config/course-funnel.options';
import { resolveOptions } from './resolve-options';
import { COURSE_FUNNEL_CONNECTION } from './database/database.constants';
import { ChannelsModule } from './channels/channels.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { EnrollmentsModule } from './enrollments/enrollments.module';
import { EventsModule } from './events/events.module';
import { FunnelsModule } from './funnels/funnels.module';
import { ConsoleModule } from './console/console.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MessagesModule } from './messages/messages.module';
import { NotesModule } from './notes/notes.module';
import { OutboxModule } from './outbox/outbox.module';
import { FanoutModule } from './fanout/fanout.module';
import { LessonPagesModule } from './lesson-pages/lesson-pages.module';
import { ReleasesModule } from './releases/releases.module';
import { AttendanceModule } from './attendance/attendance.module';
import { HomeworkModule } from './homework/homework.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { CommissionsModule } from './commissions/commissions.module';
import { LicensesModule } from './licenses/licenses.module';
import { PartnersModule } from './partners/partners.module';
import { OrdersModule } from './orders/orders.module';
import { PricingModule } from './pricing/pricing.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReferralsModule } from './referrals/referrals.module';
import { StudentsModule } from './students/students.module';
import { TokensModule } from './tokens/tokens.module';

/** Feature modules whose controllers are mounted under the route prefix. */
const FEATURE_MODULES = [
  EventsModule,
  AuthModule,
  TokensModule,
  StudentsModule,
  FunnelsModule,
  CohortsModule,
  EnrollmentsModule,
  MessagesModule,
  OutboxModule,
  ReleasesModule,
  FanoutModule,
  LessonPagesModule,
  AttendanceModule,
  HomeworkModule,
  ReferralsModule,
  PricingModule,
  OrdersModule,
  CommissionsModule,
  AnalyticsModule,
  PartnersModule,
  LicensesModule,
  ChannelsModule,
  NotesModule,
  MailModule,
  HealthModule,
  ConsoleModule,
];

/**
 * Options, the clock and the domain hooks, visible to every feature module. Global inside the application, but the
 * tokens are the module's own, so they cannot collide with a host application's providers.
 */
@Global()
@Module({})
class CourseFunnelCoreModule {
  static register(optionsProvider: Provider, imports: NonNullable<DynamicModule['imports']>): DynamicModule {
    return {
      module: CourseFunnelCoreModule,
      imports,
      providers: [optionsProvider, { provide: Clock, useClass: SystemClock }, DomainHooks, OrganizationScopes],
      exports: [COURSE_FUNNEL_OPTIONS, Clock, DomainHooks, OrganizationScopes],
    };
  }
}

/**
 * The whole course funnel as one NestJS module. A host application mounts it with
 * `CourseFunnelModule.forRoot({...})` or `forRootAsync({...})`; `main.ts` runs it standalone.
 */
const ROUTE_PREFIX = Symbol('COURSE_FUNNEL_ROUTE_PREFIX');

@Module({})
export class CourseFunnelModule implements NestModule {
  constructor(@Inject(ROUTE_PREFIX) private readonly routePrefix: string) {}

  configure(consumer: MiddlewareConsumer): void {
    const path = this.routePrefix ? `${this.routePrefix}/*path` : '*path';
    consumer.apply(RequestLogMiddleware).forRoutes({ path, method: RequestMethod.ALL });
  }

  static forRoot(options: CourseFunnelOptions & { routePrefix?: string }): DynamicModule {
    const { routePrefix, ...rest } = options;
    const resolved = resolveOptions(rest);
    return this.assemble({ provide: COURSE_FUNNEL_OPTIONS, useValue: resolved }, [], routePrefix);
  }

  static forRootAsync(options: CourseFunnelAsyncOptions): DynamicModule {
    return this.assemble(
      {
        provide: COURSE_FUNNEL_OPTIONS,
        inject: options.inject ?? [],
        useFactory: async (...args: never[]) => resolveOptions(await options.useFactory(...args)),
      },
      options.imports ?? [],
      options.routePrefix,
    );
  }

  private static assemble(
    optionsProvider: Provider,
    imports: NonNullable<DynamicModule['imports']>,
    routePrefix = '',
  ): DynamicModule {
    const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
    return {
      module: CourseFunnelModule,
      imports: [
        CourseFunnelCoreModule.register(optionsProvider, imports),
        MongooseModule.forRootAsync({
          connectionName: COURSE_FUNNEL_CONNECTION,
          inject: [COURSE_FUNNEL_OPTIONS],
          useFactory: (resolved: ResolvedCourseFunnelOptions) => ({
            uri: resolved.mongodbUri,
            serverSelectionTimeoutMS: 10_000,
            connectionFactory: (connection: Connection) => {
              // Values from requests can never act as query operators ({"$ne": ...}); our own
              // operator filters are marked with mongoose.trusted().
              connection.set('sanitizeFilter', true);
              return connection;
            },
          }),
        }),
        ScheduleModule.forRoot(),
        RateLimitModule,
        ...FEATURE_MODULES,
        ...(prefix
          ? [RouterModule.register([{ path: prefix, module: CourseFunnelModule, children: FEATURE_MODULES }])]
          : []),
      ],
      providers: [{ provide: ROUTE_PREFIX, useValue: prefix }],
      exports: [
        AuthModule,
        StudentsModule,
        FunnelsModule,
        CohortsModule,
        EnrollmentsModule,
        OutboxModule,
        ReleasesModule,
        FanoutModule,
        AttendanceModule,
        HomeworkModule,
        ReferralsModule,
        PricingModule,
        OrdersModule,
        CommissionsModule,
        PartnersModule,
        LicensesModule,
        MailModule,
      ],
    };
  }
}
