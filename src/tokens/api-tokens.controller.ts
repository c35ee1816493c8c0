import { Body, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiController } from '../http/api-controller.decorator';
import { TokenError } from './tokens.errors';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiTokenRecord } from '../auth/api-token.repository';
import { ApiTokensService, IssuedApiToken } from '../auth/api-tokens.service';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { ObjectIdParam } from '../common/object-id.param';

@ApiController('api/tokens', 'tokens')
@Staff('admin')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @ApiOperation({
    summary: 'Create a staff token',
    description: 'Issues a staff token; the response is the only time the token is shown.',
  })
  @Post()
  create(@Body() dto: CreateApiTokenDto, @CurrentStaff() staff: StaffPrincipal): Promise<IssuedApiToken> {
    if (dto.role === 'partner') {
      throw new TokenError(
        'partner_token_needs_organization',
        'role: partner tokens belong to an organisation; issue them with POST /api/partners/:id/tokens',
      );
    }
    return this.tokens.issue(dto.role, dto.name, staff.tokenId);
  }

  @ApiOperation({
    summary: 'List staff tokens',
    description:
      'Every token with its role, name, first characters and whether it is revoked (never the token itself).',
  })
  @Get()
  list(): Promise<ApiTokenRecord[]> {
    return this.tokens.list();
  }

  @ApiOperation({ summary: 'Revoke a staff token', description: 'The token stops working at once.' })
  @Delete(':id')
  revoke(@Param() { id }: ObjectIdParam): Promise<ApiTokenRecord> {
    return this.tokens.revoke(id);
  }
}
