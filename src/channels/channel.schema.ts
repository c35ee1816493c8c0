import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { CHAT_PLATFORMS, CHAT_POST_KINDS, ChatPlatformName, ChatPostKind } from './chat-post';

export const CHANNEL_OWNERS = ['cohort', 'funnel'] as const;
export type ChannelOwnerKind = (typeof CHANNEL_OWNERS)[number];

/**
 * A group chat a cohort (or, as the default of its cohorts, a funnel) posts to. The webhook URL and
 * signing secret are stored sealed (auth/secret-box) and shown only as `hint`. Removing a channel
 * keeps the document (its posts in the outbox still name it) and stops every post not yet sent.
 */
@Schema({ collection: 'cf_channels', strictQuery: 'throw', versionKey: false })
export class Channel {
  @Prop({ type: String, required: true, enum: CHANNEL_OWNERS })
  ownerKind!: ChannelOwnerKind;

  @Prop({ type: Types.ObjectId, required: true })
  ownerId!: Types.ObjectId;

  /** The owner's organisation (a partner's cohort or clone), for listing within a tenancy. */
  @Prop()
  organizationId?: string;

  @Prop({ type: String, required: true, enum: CHAT_PLATFORMS })
  platform!: ChatPlatformName;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  locale!: Locale;

  /** What it posts (never `test`, which staff send by hand). */
  @Prop({ type: [String], enum: CHAT_POST_KINDS, required: true })
  kinds!: ChatPostKind[];

  /** `{url, secret?}` as JSON, sealed under APP_SECRET. */
  @Prop({ required: true })
  sealed!: string;

  /** The URL with its secret parts masked, e.g. `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…3f9a`. */
  @Prop({ required: true })
  hint!: string;

  @Prop({ required: true })
  hasSecret!: boolean;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  removedAt?: Date;

  @Prop()
  removedBy?: string;

  /** The last "send a test message": when, and what the platform answered. */
  @Prop({ type: Object })
  lastTest?: { at: Date; delivered: boolean; detail: string };
}

export const ChannelSchema = SchemaFactory.createForClass(Channel);
// A cohort's or funnel's channels (the API, the console, and the fan-out's per-tick read of active ones).
ChannelSchema.index({ ownerId: 1, removedAt: 1 });

/**
 * One post's turn in a channel's rate limit: `${channelId}:${slot}`, slot = floor(time / slotMs).
 * Inserted once, so across every instance at most one post takes each slot (see pacing.rules).
 */
@Schema({ collection: 'cf_channel_slots', strictQuery: 'throw', versionKey: false })
export class ChannelSlot {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  at!: Date;
}

export const ChannelSlotSchema = SchemaFactory.createForClass(ChannelSlot);
// Clearing slots long past (the hourly purge).
ChannelSlotSchema.index({ at: 1 });
