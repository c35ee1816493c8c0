import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { DOMAIN_EVENT_STATES, DomainEventState } from '../domain-event.schema';

export class ListEventsQuery {
  @ApiPropertyOptional({ enum: DOMAIN_EVENT_STATES, default: 'failed' })
  @IsOptional()
  @IsIn(DOMAIN_EVENT_STATES)
  state?: DomainEventState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class EventKeyParam {
  /** e.g. `order.paid:6650c0ffee...` */
  @MaxLength(200)
  @Matches(/^[a-z]+\.[a-z]+:[\w:.-]+$/, { message: 'key must be an event key such as order.paid:<id>' })
  key!: string;
}
