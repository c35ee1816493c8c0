import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SUPPORTED_LOCALES, Locale } from '../common/locale';

/** A person who takes courses. Students hold no password: they act through signed links. */
@Schema({ collection: 'cf_students', strictQuery: 'throw', versionKey: false, timestamps: true })
export class Student {
  @Prop({ required: true })
  email!: string;

  /** Normalised email; one student per key. */
  @Prop({ required: true })
  emailKey!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  locale!: Locale;

  /** IANA zone for the student-local release clock; absent means "use the cohort's". */
  @Prop()
  timezone?: string;

  createdAt!: Date;
  updatedAt!: Date;
}

export const StudentSchema = SchemaFactory.createForClass(Student);
// Idempotent sign-up and look-up by email.
StudentSchema.index({ emailKey: 1 }, { unique: true });
