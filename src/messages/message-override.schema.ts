import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { MESSAGE_KINDS, MessageKind } from './message-kinds';

/**
 * An instructor's wording for one kind and locale of a funnel's messages. It applies to the funnel's
 * cohorts from the moment it is saved, queued mail included (mail is rendered when it is sent).
 */
@Schema({ collection: 'cf_message_overrides', strictQuery: 'throw', versionKey: false })
export class MessageOverride {
  @Prop({ type: Types.ObjectId, required: true })
  funnelId!: Types.ObjectId;

  @Prop({ type: String, required: true, enum: MESSAGE_KINDS })
  kind!: MessageKind;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  locale!: Locale;

  @Prop({ required: true })
  subject!: string;

  @Prop({ required: true })
  html!: string;

  @Prop({ required: true })
  text!: string;

  @Prop({ required: true })
  updatedAt!: Date;

  @Prop({ required: true })
  updatedBy!: string;
}

export const MessageOverrideSchema = SchemaFactory.createForClass(MessageOverride);
// One override per funnel, kind and locale; also the worker's look-up by funnel.
MessageOverrideSchema.index({ funnelId: 1, kind: 1, locale: 1 }, { unique: true });
