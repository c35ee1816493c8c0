import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsString, Length, MaxLength } from 'class-validator';
import { Locale, SUPPORTED_LOCALES } from '../../common/locale';
import { MESSAGE_KINDS, MessageKind } from '../message-kinds';

export class MessageTemplateParams {
  @ApiProperty()
  @IsMongoId()
  id!: string;

  @ApiProperty({ enum: MESSAGE_KINDS })
  @IsIn(MESSAGE_KINDS)
  kind!: MessageKind;

  @ApiProperty({ enum: SUPPORTED_LOCALES })
  @IsIn(SUPPORTED_LOCALES)
  locale!: Locale;
}

/** A message template: handlebars with the variables of its kind (see the preview for them). */
export class MessageTemplateDto {
  @ApiProperty({ example: 'Welcome to {{cohort.name}}' })
  @Length(1, 300)
  @IsString()
  subject!: string;

  @ApiProperty({ example: '<p>Hello {{student.name}}</p>' })
  @MaxLength(50_000)
  @IsString()
  html!: string;

  @ApiProperty({ example: 'Hello {{student.name}}' })
  @MaxLength(50_000)
  @IsString()
  text!: string;
}
