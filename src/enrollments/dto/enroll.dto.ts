import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CreateStudentDto } from '../../students/dto/create-student.dto';

const REFERRAL_CODE_FORMAT = /^[A-Za-z0-9_-]{4,32}$/;

/** The public sign-up form: who, in which language and timezone, and who referred them. */
export class EnrollDto extends CreateStudentDto {
  @ApiPropertyOptional({ example: 'K7Q2XWAB' })
  @IsOptional()
  @Matches(REFERRAL_CODE_FORMAT, { message: 'referralCode must be 4-32 letters, digits, - or _' })
  referralCode?: string;
}

/** `/join/:id?ref=`: the sign-up page a shared referral link leads to. */
export class JoinPageQuery {
  @ApiPropertyOptional({ example: 'K7Q2XWAB' })
  @IsOptional()
  @Matches(REFERRAL_CODE_FORMAT, { message: 'ref must be 4-32 letters, digits, - or _' })
  ref?: string;
}
