import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageLimitQuery } from '../../common/cursor-page.query';
import { LESSON_KEY_PATTERN } from '../../funnels/funnel-content';
import { HIDE_REASON_MAX_CHARS, SHARED_NOTE_MAX_CHARS } from '../notes.rules';

const CURSOR = /^\d{1,15}\.[0-9a-f]{24}$/;
export const NOTE_STATES = ['visible', 'hidden', 'all'] as const;

/** `?after=`: where the previous newest-first page of notes ended. */
export class NotesCursorQuery {
  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page' })
  @IsOptional()
  @Matches(CURSOR, { message: 'after is not a cursor of this listing' })
  @IsString()
  after?: string;
}

/** `?lessonKey=&state=&limit=&after=` of the staff listing. */
export class StaffNotesQueryDto extends PageLimitQuery {
  @ApiPropertyOptional({ example: 'v1', description: 'One class only' })
  @IsOptional()
  @Matches(LESSON_KEY_PATTERN, { message: 'lessonKey is not a lesson key' })
  @IsString()
  lessonKey?: string;

  @ApiPropertyOptional({ enum: NOTE_STATES, default: 'all', description: 'visible: on the wall; hidden: by staff' })
  @IsOptional()
  @IsIn(NOTE_STATES)
  state?: (typeof NOTE_STATES)[number];

  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page' })
  @IsOptional()
  @Matches(CURSOR, { message: 'after is not a cursor of this listing' })
  @IsString()
  after?: string;
}

/** A student's note for their group; the length rule is the service's (a 400 naming `text`). */
export class ShareNoteDto {
  @ApiProperty({
    description: `Plain text (line breaks kept, never read as Markdown or HTML), up to ${SHARED_NOTE_MAX_CHARS} characters`,
    example: 'Behaviour is a message: I asked what he needed before I answered.',
  })
  // A generous bound before the service counts characters, so a huge body fails fast.
  @MaxLength(SHARED_NOTE_MAX_CHARS * 4)
  @IsString()
  text!: string;
}

export class HideNoteDto {
  @ApiProperty({
    description: `Why it is hidden (kept, shown to staff only), up to ${HIDE_REASON_MAX_CHARS} characters`,
    example: 'Names another student',
  })
  // The service counts characters and refuses an empty reason; this only bounds the body.
  @MaxLength(HIDE_REASON_MAX_CHARS * 2)
  @IsString()
  reason!: string;
}

/** `/:id/notes/:noteId` of a cohort. */
export class CohortNoteParams {
  @ApiProperty({ description: 'Cohort id' })
  @IsMongoId()
  id!: string;

  @ApiProperty({ description: 'Shared note id' })
  @IsMongoId()
  noteId!: string;
}
