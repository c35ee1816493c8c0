import { Body, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { MessageTemplateDto, MessageTemplateParams } from './dto/message-template.dto';
import { RenderedMessage } from './message-kinds';
import { MessageOverridesService, MessageTemplateView } from './message-overrides.service';

/** A funnel's wording of each message kind and locale: read, override, reset, preview. */
@ApiController('api/funnels/:id/messages', 'funnels')
@Staff('instructor', 'partner')
@ScopedBy('funnel')
export class MessageTemplatesController {
  constructor(private readonly overrides: MessageOverridesService) {}

  @ApiOperation({
    summary: 'Get a message template',
    description: "The funnel's override of a message kind in a locale, or the built-in template when there is none.",
  })
  @Get(':kind/:locale')
  get(
    @Param() { id, kind, locale }: MessageTemplateParams,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<MessageTemplateView> {
    return this.overrides.get(id, kind, locale, tenancy);
  }

  @ApiOperation({
    summary: 'Override a message template',
    description: 'Refused with a 400 naming the part and line when it does not compile or uses an unknown variable.',
  })
  @Put(':kind/:locale')
  save(
    @Param() { id, kind, locale }: MessageTemplateParams,
    @Body() dto: MessageTemplateDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<MessageTemplateView> {
    return this.overrides.save(id, kind, locale, dto, staff.tokenId, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Back to the built-in template',
    description: "Deletes the funnel's override of this kind and locale.",
  })
  @Delete(':kind/:locale')
  reset(
    @Param() { id, kind, locale }: MessageTemplateParams,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<MessageTemplateView> {
    return this.overrides.reset(id, kind, locale, tenancy);
  }

  @ApiOperation({
    summary: 'Preview a message',
    description: 'Renders the kind with sample data, as a student would get it.',
  })
  @Get(':kind/:locale/preview')
  preview(
    @Param() { id, kind, locale }: MessageTemplateParams,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<RenderedMessage> {
    return this.overrides.preview(id, kind, locale, tenancy);
  }
}
