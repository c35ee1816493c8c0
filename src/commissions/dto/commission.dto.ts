import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsString, Length } from 'class-validator';
import { StatementPeriodQuery } from '../../common/period.query';
import { LEVELS, Level } from '../promotion.rules';

export class StatementQuery extends StatementPeriodQuery {
  @ApiProperty({ description: 'The agent (student) whose commissions to list' })
  @IsMongoId()
  studentId!: string;
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
