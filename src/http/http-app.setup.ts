import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
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

/** OpenAPI document and Swagger UI for the module's routes. */
export function setupOpenApi(app: INestApplication, path = 'docs'): void {
  const config = new DocumentBuilder()
    .setTitle('course-funnel')
    .setDescription(
      'Free classes, then a paid course: funnels, cohorts, students and their signed links. ' +
        'Staff routes take `Authorization: Bearer <token>`; student routes take a signed link token.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(path, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${path}/openapi.json`,
  });
}
