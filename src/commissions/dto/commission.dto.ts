import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsMongoId, IsOptional, IsString, Length } from 'class-validator';
import { LEVELS, Level } from '../promotion.rules';

export class StatementQuery {
  @ApiProperty({ description: 'The agent (student) whose commissions to list' })
  @IsMongoId()
  studentId!: string;

  @ApiPropertyOptional({ description: 'Entries created from (inclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Entries created before (exclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class PayoutDto {
  @ApiProperty({ description: 'Pays out everything payable to this student now' })
  @IsMongoId()
  studentId!: string;
}

export class SetLevelDto {
  @ApiProperty({ enum: LEVELS })
  @IsIn(LEVELS)
  level!: Level;

  @ApiProperty({ example: 'Led two city workshops', description: 'Why; kept in the history' })
  @Length(3, 500)
  @IsString()
  reason!: string;
}
