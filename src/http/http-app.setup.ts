import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { STUDENT_LINK_HEADER, STUDENT_LINK_QUERY } from '../auth/access.decorators';
import { ApiExceptionFilter } from './api-exception.filter';

export interface HttpAppSettings {
  /** Largest accepted request body, e.g. `100kb`. */
  bodyLimit: string;
  /** Express `trust proxy`: true, false or a number of hops; decides which IP rate limits see. */
  trustProxy: boolean | number;
  /** Where students reach the server (PUBLIC_BASE_URL): whether browsers may be told "https only". */
  publicBaseUrl: string;
}

/**
 * HTTP hardening for the standalone server (and for tests, which boot the same way). A host
 * application that mounts the module applies its own equivalent.
 */
export function configureHttpApp(app: NestExpressApplication, settings: HttpAppSettings): void {
  app.set('trust proxy', settings.trustProxy);
  // Told to upgrade to https (or HSTS) on a plain-http address, e.g. a phone on the LAN, Chromium
  // silently blocks every form the student sends: only when the public address is https.
  const https = new URL(settings.publicBaseUrl).protocol === 'https:';
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
      strictTransportSecurity: https,
    }),
  );
  app.useBodyParser('json', { limit: settings.bodyLimit });
  app.useBodyParser('urlencoded', { limit: settings.bodyLimit, extended: false });
  // Body-parser failures and unknown routes happen before any controller: same error shape.
  app.useGlobalFilters(new ApiExceptionFilter());
}

/** The tags of the document, in the order a newcomer reads them, each saying who uses it for what. */
const TAGS: [name: string, description: string][] = [
  [
    'funnels',
    'Instructors: funnel templates (the free value and closing classes, homework, the offer and its price ladder), their versions and message wording.',
  ],
  [
    'cohorts',
    'Instructors and partners: runs of a funnel version with their own start, timezone and capacity; open, reschedule, cancel.',
  ],
  [
    'enrollments',
    "Students sign up for a cohort (public) and confirm by their mailed link; staff list a cohort's enrolments.",
  ],
  ['student', 'Students, with their signed link: their profile, lessons, check-ins, excuses and homework.'],
  ['attendance', 'Instructors: who came to which class, marks, excuses, rates and CSV.'],
  ['homework', 'Instructors: the grading queue, rubric grades, review, and who grades which lesson.'],
  ['pricing', 'Students: their price on the ladder, their referrals and share link, a locked quote for checkout.'],
  ['orders', "Students order the course; staff record payments and refunds; the payment provider's webhook."],
  ['referrals', 'Instructors: who referred whom, and the referrals held for review.'],
  ['commissions', 'Agents and partners earn commissions; staff read statements, record payouts, review levels.'],
  ['analytics', 'Instructors and partners: the funnel of a cohort, step by step, with conversion.'],
  [
    'channels',
    "Instructors and partners: a cohort's group chats (WeCom, Feishu/Lark, DingTalk, Slack, a signed webhook), what they post, a test message and previews.",
  ],
  [
    'notes',
    'Instructors and partners: the notes students shared with their group on the lesson pages (the notes wall); hide one with a reason, show it again.',
  ],
  [
    'licenses',
    'City partners: licenses of a template for a territory, clones, upstream changes, revenue-share statements.',
  ],
  ['partners', 'Admins: partner organisations and their staff tokens.'],
  ['students', 'Staff: student records and hand-issued access links.'],
  ['outbox', 'Staff: every outgoing mail, send progress, dead letters and retries.'],
  ['events', 'Admins: durable domain events and their deliveries.'],
  ['tokens', 'Admins: staff API tokens.'],
  ['ops', 'Operations: the health check (a database ping), for load balancers and monitoring.'],
];

const DESCRIPTION = `Free classes, then a paid course: funnel templates, cohorts, enrolment, lessons by mail,
attendance, homework, referrals and the price ladder, orders, commissions and city-partner licenses.

**Staff** (admins, instructors, partner staff) call with \`Authorization: Bearer cf_...\`: an API
token made by \`npm run cli -- token create\` or \`POST /api/tokens\` (an opaque string starting
with \`cf_\`, not a JWT; stored hashed, shown once). Each route names the roles it takes in its 403.

**Students** never hold a token of their own: every mail carries signed, expiring links
(\`?token=...\`), each for one purpose (a lesson, the offer, confirming a place). The student routes
take the same token as the \`token\` query parameter or the \`X-Student-Token\` header.

Errors have one shape: \`{ statusCode, error, message, details: { code, fields? } }\`, where \`fields\` names
each field that was refused and why.`;

/** OpenAPI document and Swagger UI for the module's routes. */
export function setupOpenApi(app: INestApplication, path = 'docs'): void {
  const builder = new DocumentBuilder()
    .setTitle('course-funnel')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'cf_…',
      description: 'A staff API token: `cf_` and 43 characters, from `npm run cli -- token create` or POST /api/tokens',
    })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'token',
        description:
          "A student's signed link token: the `token` of a link in their mail (it expires, and opens only what it was sent for)",
      },
      STUDENT_LINK_QUERY,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Student-Token',
        description: 'The same signed link token, as a header',
      },
      STUDENT_LINK_HEADER,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  SwaggerModule.setup(path, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${path}/openapi.json`,
  });
}
