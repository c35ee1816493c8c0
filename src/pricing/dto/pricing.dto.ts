import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';
import { StudentLinkQuery } from '../../auth/student-link.query';

/** `?enrollmentId=`: which of the student's enrolments (each has its own code and price). */
export class OwnEnrollmentQuery extends StudentLinkQuery {
  @ApiProperty({ description: 'One of your enrolments' })
  @IsMongoId()
  enrollmentId!: string;
}

export class CreateQuoteDto {
  @ApiProperty({ description: 'The enrolment whose offer to buy' })
  @IsMongoId()
  enrollmentId!: string;
}
