import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '../../auth/access.decorators';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Ms Li (instructor)' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString()
  name!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;
}
