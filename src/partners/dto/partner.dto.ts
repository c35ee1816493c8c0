import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreatePartnerDto {
  @ApiProperty({ example: 'Shenzhen Family Learning Co.' })
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString()
  name!: string;
}

export class CreatePartnerTokenDto {
  @ApiProperty({ example: 'Ms Chen (Shenzhen)' })
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  @IsString()
  name!: string;
}
