import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { ObjectIdParam } from '../common/object-id.param';
import { ApiBodyExample } from '../http/api-body-example.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { ChatPost } from './chat-post';
import { ChannelOwnerKind } from './channel.schema';
import { ChannelsService, ChannelView, CohortChannels, TestResult } from './channels.service';
import { ChannelParams, ChannelPreviewQuery, CreateChannelDto } from './dto/channel.dto';

const WECOM_EXAMPLE = {
  platform: 'wecom',
  name: '三月营 1 群',
  webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
  locale: 'zh-CN',
  kinds: ['opening', 'released', 'homework', 'offer', 'milestone'],
} as const;

/** The routes a channel owner (a cohort or a funnel) has; the two controllers below differ only in owner. */
abstract class ChannelRoutes {
  protected abstract readonly ownerKind: ChannelOwnerKind;

  constructor(protected readonly channels: ChannelsService) {}

  protected addTo(id: string, dto: CreateChannelDto, staff: StaffPrincipal) {
    return this.channels.add({ kind: this.ownerKind, id }, dto, staff.tokenId, tenancyOf(staff));
  }

  protected removeFrom(id: string, channelId: string, staff: StaffPrincipal) {
    return this.channels.remove({ kind: this.ownerKind, id }, channelId, staff.tokenId, tenancyOf(staff));
  }

  protected testOf(id: string, channelId: string, staff: StaffPrincipal) {
    return this.channels.test({ kind: this.ownerKind, id }, channelId, tenancyOf(staff));
  }
}

@ApiController('api/cohorts', 'channels')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class CohortChannelsController extends ChannelRoutes {
  protected readonly ownerKind = 'cohort';

  constructor(channels: ChannelsService) {
    super(channels);
  }

  @ApiOperation({
    summary: "A cohort's group channels",
    description:
      "Its own channels, the funnel's (which post for it while it has none of its own) and which of them post. URLs and secrets are never shown: `webhook` is masked.",
  })
  @Get(':id/channels')
  list(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<CohortChannels> {
    return this.channels.ofCohort(id, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Add a group channel to a cohort',
    description:
      'The URL is checked against its platform and stored encrypted. From then on the group gets each class shortly before it starts, its release, homework due, the offer and check-in milestones, in the channel locale. A generic `webhook` without a secret gets one, returned once as `signingSecret`.',
  })
  @Post(':id/channels')
  @ApiBodyExample(CreateChannelDto, "A cohort's WeCom group robot", WECOM_EXAMPLE)
  add(
    @Param() { id }: ObjectIdParam,
    @Body() dto: CreateChannelDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ChannelView & { signingSecret?: string }> {
    return this.addTo(id, dto, staff);
  }

  @ApiOperation({
    summary: 'Remove a group channel',
    description: 'Nothing more is posted to it; posts not yet sent are dropped.',
  })
  @Delete(':id/channels/:channelId')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param() { id, channelId }: ChannelParams, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    return this.removeFrom(id, channelId, staff);
  }

  @ApiOperation({
    summary: 'Send a test message',
    description:
      "Posts a short test message to the group now (in the channel's turn under the platform's rate limit) and answers what the platform said.",
  })
  @Post(':id/channels/:channelId/test')
  @HttpCode(HttpStatus.OK)
  test(@Param() { id, channelId }: ChannelParams, @CurrentStaff() staff: StaffPrincipal): Promise<TestResult> {
    return this.testOf(id, channelId, staff);
  }
}

@ApiController('api/funnels', 'channels')
@Staff('instructor', 'partner')
@ScopedBy('funnel')
export class FunnelChannelsController extends ChannelRoutes {
  protected readonly ownerKind = 'funnel';

  constructor(channels: ChannelsService) {
    super(channels);
  }

  @ApiOperation({
    summary: "A funnel's default group channels",
    description: 'Channels that post for every cohort of the funnel that has none of its own.',
  })
  @Get(':id/channels')
  list(
    @Param() { id }: ObjectIdParam,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<{ name: string; own: ChannelView[] }> {
    return this.channels.ofFunnel(id, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Add a default group channel to a funnel',
    description: "As for a cohort; it posts for the funnel's cohorts that have no channel of their own.",
  })
  @Post(':id/channels')
  @ApiBodyExample(CreateChannelDto, "The funnel's staff group on Feishu", {
    platform: 'feishu',
    name: 'Course team',
    webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/2f3c8c6e-5f2a-4d8b-9c1e-7a6b5c4d3e2f',
    secret: 'qKFBkmmGm8wYxvT1KPbQhb',
    locale: 'en',
  })
  add(
    @Param() { id }: ObjectIdParam,
    @Body() dto: CreateChannelDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<ChannelView & { signingSecret?: string }> {
    return this.addTo(id, dto, staff);
  }

  @ApiOperation({ summary: "Remove a funnel's group channel", description: 'Nothing more is posted to it.' })
  @Delete(':id/channels/:channelId')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param() { id, channelId }: ChannelParams, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    return this.removeFrom(id, channelId, staff);
  }

  @ApiOperation({ summary: "Send a test message to a funnel's channel", description: 'As for a cohort.' })
  @Post(':id/channels/:channelId/test')
  @HttpCode(HttpStatus.OK)
  test(@Param() { id, channelId }: ChannelParams, @CurrentStaff() staff: StaffPrincipal): Promise<TestResult> {
    return this.testOf(id, channelId, staff);
  }
}

@ApiController('api/channels', 'channels')
@Staff('instructor', 'partner')
export class ChannelPreviewController {
  constructor(private readonly channels: ChannelsService) {}

  @ApiOperation({
    summary: 'Preview a kind of post on a platform',
    description:
      'A post with sample data, in the chosen locale: the post itself (title, lines, button) and the exact JSON the platform would receive.',
  })
  @Get('preview')
  @ScopedByCaller()
  preview(@Query() query: ChannelPreviewQuery): { post: ChatPost; payload: unknown } {
    return this.channels.preview(query.platform, query.kind, query.locale ?? 'zh-CN');
  }
}
