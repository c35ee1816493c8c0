import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { Locale, SUPPORTED_LOCALES } from '../../common/locale';
import { CHAT_PLATFORMS, CHAT_POST_KINDS, ChatPlatformName, ChatPostKind } from '../chat-post';

/** What a channel may be set to post (staff send `test` by hand). */
export const SCHEDULED_POST_KINDS = CHAT_POST_KINDS.filter((k) => k !== 'test');

export class CreateChannelDto {
  @ApiProperty({ enum: CHAT_PLATFORMS, example: 'wecom' })
  @IsIn(CHAT_PLATFORMS)
  platform!: ChatPlatformName;

  @ApiProperty({ example: '三月营 1 群', description: 'What staff call the group' })
  @Length(1, 100)
  @IsString()
  name!: string;

  @ApiProperty({
    example: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
    description:
      "The robot's webhook URL as the platform shows it. Stored encrypted and never shown again in full. Its host must be the platform's own (`qyapi.weixin.qq.com`, `open.feishu.cn` or `open.larksuite.com`, `oapi.dingtalk.com`, `hooks.slack.com`; any https URL for `webhook`).",
  })
  @MaxLength(2000)
  @IsString()
  webhookUrl!: string;

  @ApiPropertyOptional({
    example: 'SEC1f1b5b5d0c7a4e9f8a6b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1',
    description:
      'The signing secret: Feishu/Lark "signature verification", DingTalk "加签" (`SEC…`), or a Standard Webhooks secret (`whsec_…`) for `webhook`, which is made for you when left out and shown once. Stored encrypted.',
  })
  @IsOptional()
  @Length(1, 200)
  @IsString()
  secret?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "The group's language; default the funnel's" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({
    enum: SCHEDULED_POST_KINDS,
    isArray: true,
    description: 'What it posts; default all: `opening`, `released`, `homework`, `offer`, `milestone`',
  })
  @IsOptional()
  @ArrayMaxSize(SCHEDULED_POST_KINDS.length)
  @ArrayUnique()
  @IsIn(SCHEDULED_POST_KINDS, { each: true })
  @IsArray()
  kinds?: ChatPostKind[];
}

export class ChannelParams {
  @ApiProperty({ example: '665f1c2e9b1e8a0012345678', description: 'The cohort or funnel' })
  @IsMongoId()
  id!: string;

  @ApiProperty({ example: '665f1c2e9b1e8a0012345679' })
  @IsMongoId()
  channelId!: string;
}

export class ChannelPreviewQuery {
  @ApiProperty({ enum: CHAT_PLATFORMS })
  @IsIn(CHAT_PLATFORMS)
  platform!: ChatPlatformName;

  @ApiProperty({ enum: CHAT_POST_KINDS })
  @IsIn(CHAT_POST_KINDS)
  kind!: ChatPostKind;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;
}
