import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { AccessGuard } from './access.guard';
import { ApiTokenRepository } from './api-token.repository';
import { ApiToken, ApiTokenSchema, BootstrapMarker, BootstrapMarkerSchema } from './api-token.schema';
import { ApiTokensService } from './api-tokens.service';
import { FirstAdminTokenBootstrap } from './first-admin-token.bootstrap';
import { SignedLinksService } from './signed-links.service';
import {
  ConsoleSession,
  ConsoleSessionSchema,
  ConsoleSignInLink,
  ConsoleSignInLinkSchema,
} from './console-session.schema';
import { ConsoleSessionRepository } from './console-session.repository';
import { ConsoleSessionsService } from './console-sessions.service';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: ApiToken.name, schema: ApiTokenSchema },
        { name: BootstrapMarker.name, schema: BootstrapMarkerSchema },
        { name: ConsoleSession.name, schema: ConsoleSessionSchema },
        { name: ConsoleSignInLink.name, schema: ConsoleSignInLinkSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
  ],
  providers: [
    ApiTokenRepository,
    ApiTokensService,
    SignedLinksService,
    ConsoleSessionRepository,
    ConsoleSessionsService,
    AccessGuard,
    FirstAdminTokenBootstrap,
  ],
  exports: [ApiTokensService, SignedLinksService, ConsoleSessionsService, AccessGuard],
})
export class AuthModule {}
