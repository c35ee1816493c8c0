import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

/** `?enrollmentId=`: which of the student's enrolments (each has its own code and price). */
export class OwnEnrollmentQuery {
  @ApiProperty({ description: 'One of your enrolments' })
  @IsMongoId()
  enrollmentId!: string;
}

export class CreateQuoteDto {
  @ApiProperty({ description: 'The enrolment whose offer to buy' })
  @IsMongoId()
  enrollmentId!: string;
}
