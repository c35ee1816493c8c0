import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { STAFF_ROLES, StaffRole } from './access.decorators';

@Schema({ collection: 'cf_api_tokens', strictQuery: 'throw', versionKey: false })
export class ApiToken {
  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: STAFF_ROLES })
  role!: StaffRole;

  /** SHA-256 of the token; the token itself is never stored. */
  @Prop({ required: true })
  tokenHash!: string;

  @Prop({ required: true })
  displayPrefix!: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  createdBy?: string;

  /** A partner's organisation: what its tokens may see (platform staff have none). */
  @Prop()
  organizationId?: string;

  @Prop()
  revokedAt?: Date;
}

export type ApiTokenDocument = HydratedDocument<ApiToken>;
export const ApiTokenSchema = SchemaFactory.createForClass(ApiToken);
// Every authenticated request looks its token up by digest.
ApiTokenSchema.index({ tokenHash: 1 }, { unique: true });
// "Is there an active admin token?" at start-up, and listings by role.
ApiTokenSchema.index({ role: 1, revokedAt: 1 });

/**
 * Marker documents that make one-time start-up work happen once across instances:
 * the insert of a fixed _id succeeds for exactly one of them.
 */
@Schema({ collection: 'cf_bootstrap_markers', strictQuery: 'throw', versionKey: false })
export class BootstrapMarker {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  createdAt!: Date;
}
export const BootstrapMarkerSchema = SchemaFactory.createForClass(BootstrapMarker);
