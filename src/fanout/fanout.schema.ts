import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A finished fan-out (`${cohortId}:${dispatchKey}`): every recipient's message is in the outbox.
 * Written last, so a fan-out cut short by a crash or a restart runs again on the next tick; the
 * outbox's idempotency keys make the rerun add only what is missing.
 */
@Schema({ collection: 'cf_fanouts', strictQuery: 'throw', versionKey: false })
export class Fanout {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  messages!: number;

  @Prop({ required: true })
  completedAt!: Date;
}

export const FanoutSchema = SchemaFactory.createForClass(Fanout);
