import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsOptional } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { COHORT_STATUSES, CohortStatus } from '../cohort.rules';

export class ListCohortsQuery extends CursorPageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  funnelId?: string;

  @ApiPropertyOptional({ enum: COHORT_STATUSES })
  @IsOptional()
  @IsIn(COHORT_STATUSES)
  status?: CohortStatus;
}
