import { Module } from '@nestjs/common';
import { ApiTokensController } from './api-tokens.controller';

/** Admins issue, list and revoke staff tokens; checking them is auth's (a layer below). */
@Module({
  controllers: [ApiTokensController],
})
export class TokensModule {}
