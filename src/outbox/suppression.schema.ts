import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { OUTBOX_KINDS, OutboxKind } from '../messages/message-kinds';

/**
 * "Send nothing more to this": `student:<id>` after an unsubscribe, `cohort:<id>` after a
 * cancellation (except the kinds listed, e.g. the cancellation notice itself). The worker checks
 * these right before sending, so mail stops at once even for messages already queued or claimed.
 */
@Schema({ collection: 'cf_suppressions', strictQuery: 'throw', versionKey: false })
export class Suppression {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: [String], enum: OUTBOX_KINDS, default: [] })
  exceptKinds!: OutboxKind[];

  @Prop({ required: true })
  createdAt!: Date;
}

export const SuppressionSchema = SchemaFactory.createForClass(Suppression);
