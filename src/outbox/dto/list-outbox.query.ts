import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsMongoId, IsOptional } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { OUTBOX_KINDS, OutboxKind } from '../../messages/message-kinds';
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

export class OutboxCountsQuery {
  @ApiPropertyOptional({ description: 'Only this cohort' })
  @IsOptional()
  @IsMongoId()
  cohortId?: string;

  @ApiPropertyOptional({ enum: OUTBOX_KINDS, description: 'Only this kind of message' })
  @IsOptional()
  @IsIn(OUTBOX_KINDS)
  kind?: OutboxKind;
}
