import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoInstant } from './iso-instant';
import { IsIn, IsOptional } from 'class-validator';

/** `?from=&to=&format=`: a statement's period (from inclusive, to exclusive) and whether it is CSV. */
export class StatementPeriodQuery {
  @ApiPropertyOptional({ description: 'From (inclusive)' })
  @IsOptional()
  @IsIsoInstant()
  from?: Date;

  @ApiPropertyOptional({ description: 'To (exclusive)' })
  @IsOptional()
  @IsIsoInstant()
  to?: Date;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export function periodOf(query: StatementPeriodQuery): { from?: Date; to?: Date } {
  return { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
}
