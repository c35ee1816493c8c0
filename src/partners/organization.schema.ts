import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A city (or provincial, or national) partner organisation that licenses funnels. */
@Schema({ collection: 'cf_organizations', strictQuery: 'throw', versionKey: false })
export class Organization {
  @Prop({ required: true })
  name!: string;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;
}

export const OrganizationSchema = SchemaFactory.createForClass(Organization);
