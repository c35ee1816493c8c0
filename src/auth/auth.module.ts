import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { AccessGuard } from './access.guard';
import { ApiTokenRepository } from './api-token.repository';
import { ApiToken, ApiTokenSchema, BootstrapMarker, BootstrapMarkerSchema } from './api-token.schema';
import { ApiTokensService } from './api-tokens.service';
import { FirstAdminTokenBootstrap } from './first-admin-token.bootstrap';
import { SignedLinksService } from './signed-links.service';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: ApiToken.name, schema: ApiTokenSchema },
        { name: BootstrapMarker.name, schema: BootstrapMarkerSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
  ],
  providers: [ApiTokenRepository, ApiTokensService, SignedLinksService, AccessGuard, FirstAdminTokenBootstrap],
  exports: [ApiTokensService, SignedLinksService, AccessGuard],
})
export class AuthModule {}
