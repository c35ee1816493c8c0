import { Body, Get, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { IssuedApiToken } from '../auth/api-tokens.service';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedByCaller } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CreatePartnerDto, CreatePartnerTokenDto } from './dto/partner.dto';
import { OrganizationRecord } from './organizations.repository';
import { PartnersService } from './partners.service';

/** Partner organisations: admins create them and issue their staff tokens. */
@ApiController('api/partners', 'partners')
@Staff('admin')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @ApiOperation({
    summary: 'Create a partner organisation',
    description: 'A city partner that licenses funnels; its staff get partner tokens scoped to it.',
  })
  @Post()
  create(@Body() dto: CreatePartnerDto, @CurrentStaff() staff: StaffPrincipal): Promise<OrganizationRecord> {
    return this.partners.create(dto.name, staff.tokenId);
  }

  @ApiOperation({ summary: 'List partner organisations', description: 'Every partner organisation (admins).' })
  @Get()
  list(): Promise<OrganizationRecord[]> {
    return this.partners.list();
  }

  @ApiOperation({
    summary: 'Get a partner organisation',
    description: 'An organisation; its own partner staff may read it too.',
  })
  @Get(':id')
  @Staff('partner')
  @ScopedByCaller()
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<OrganizationRecord> {
    return this.partners.get(id, tenancy);
  }

  @ApiOperation({
    summary: 'Issue a partner staff token',
    description: 'Issues a partner staff token for the organisation (shown once).',
  })
  @Post(':id/tokens')
  issueToken(
    @Param() { id }: ObjectIdParam,
    @Body() dto: CreatePartnerTokenDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<IssuedApiToken> {
    return this.partners.issueToken(id, dto.name, staff.tokenId);
  }
}
