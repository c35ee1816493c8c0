import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * A signed-in console browser. The cookie holds a random secret; only its SHA-256 digest is
 * stored. The session acts as its staff API token: revoking the token ends the session.
 */
@Schema({ collection: 'cf_console_sessions', strictQuery: 'throw', versionKey: false })
export class ConsoleSession {
  @Prop({ required: true })
  digest!: string;

  @Prop({ type: Types.ObjectId, required: true })
  staffTokenId!: Types.ObjectId;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ required: true })
  expiresAt!: Date;
}
export const ConsoleSessionSchema = SchemaFactory.createForClass(ConsoleSession);
// Every console request finds its session by the cookie's digest.
ConsoleSessionSchema.index({ digest: 1 }, { unique: true });
// Sign-in sweeps the expired sessions of the same token.
ConsoleSessionSchema.index({ staffTokenId: 1, expiresAt: 1 });

/** A one-time sign-in link (`npm run cli -- console-link`): used once, within minutes. */
@Schema({ collection: 'cf_console_sign_in_links', strictQuery: 'throw', versionKey: false })
export class ConsoleSignInLink {
  @Prop({ required: true })
  digest!: string;

  @Prop({ type: Types.ObjectId, required: true })
  staffTokenId!: Types.ObjectId;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop()
  usedAt?: Date;
}
export const ConsoleSignInLinkSchema = SchemaFactory.createForClass(ConsoleSignInLink);
// Redeeming a link finds it by digest; the conditional update on it makes it one-time.
ConsoleSignInLinkSchema.index({ digest: 1 }, { unique: true });
