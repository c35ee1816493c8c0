import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsMongoId, Matches } from 'class-validator';

export const REFERRAL_CODE_PATTERN = /^[A-Za-z0-9]{4,32}$/;

export class ReferralCodeParam {
  @ApiProperty({ example: 'K7Q2XWAB' })
  @Matches(REFERRAL_CODE_PATTERN, { message: 'code is not a referral code' })
  code!: string;
}

/** `/:id` where the id is the referee's enrolment. */
export class ReferralIdParam {
  @ApiProperty({ description: "The referee's enrolment id" })
  @IsMongoId()
  id!: string;
}

export class ReviewReferralDto {
  @ApiProperty({ enum: ['approved', 'rejected'] })
  @IsIn(['approved', 'rejected'])
  decision!: 'approved' | 'rejected';
}
