import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CreateStudentDto } from '../../students/dto/create-student.dto';

/** The public sign-up form: who, in which language and timezone, and who referred them. */
export class EnrollDto extends CreateStudentDto {
  @ApiPropertyOptional({ example: 'K7Q2XW' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{4,32}$/, { message: 'referralCode must be 4-32 letters, digits, - or _' })
  referralCode?: string;
}
