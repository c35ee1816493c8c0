import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListEnrollmentsQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(1000)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the seat of the last enrolment of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsInt()
  afterSeat?: number;
}
