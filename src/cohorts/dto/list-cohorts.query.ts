import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsMongoId, IsOptional, Max, Min } from 'class-validator';
import { COHORT_STATUSES, CohortStatus } from '../cohort.rules';

export class ListCohortsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  funnelId?: string;

  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @IsOptional()
  @IsIn(COHORT_STATUSES)
  status?: CohortStatus;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the id of the last cohort of the previous page' })
  @IsOptional()
  @IsMongoId()
  after?: string;
}
