import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId, Matches } from 'class-validator';
import { LESSON_KEY_PATTERN } from '../../funnels/funnel-content';

/** `/:id/:lessonKey` of a student's own enrolment (lesson pages and the student API). */
export class EnrollmentLessonParams {
  @ApiProperty({ description: 'Enrolment id' })
  @IsMongoId()
  id!: string;

  @ApiProperty({ example: 'v1' })
  @Matches(LESSON_KEY_PATTERN, { message: 'lessonKey is not a lesson key' })
  lessonKey!: string;
}

/** `/:id/enrollments/:enrollmentId` of a cohort (staff). */
export class CohortEnrollmentParams {
  @ApiProperty({ description: 'Cohort id' })
  @IsMongoId()
  id!: string;

  @ApiProperty()
  @IsMongoId()
  enrollmentId!: string;
}

/** `/:id/enrollments/:enrollmentId/.../:lessonKey` (staff). */
export class CohortEnrollmentLessonParams extends CohortEnrollmentParams {
  @ApiProperty({ example: 'v1' })
  @Matches(LESSON_KEY_PATTERN, { message: 'lessonKey is not a lesson key' })
  lessonKey!: string;
}
