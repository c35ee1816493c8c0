import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsOptional } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { OUTBOX_STATUSES, OutboxStatus } from '../outbox-message.schema';

export class ListOutboxQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  cohortId?: string;
}
