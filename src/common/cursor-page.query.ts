import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsMongoId, IsOptional, Max, Min } from 'class-validator';

/** `?limit=`: how many items a page holds. */
export class PageLimitQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  limit?: number;
}

/** `?limit=&after=` paging in `_id` order; listings extend it with their own filters. */
export class CursorPageQuery extends PageLimitQuery {
  @ApiPropertyOptional({ description: 'Cursor: the id of the last item of the previous page' })
  @IsOptional()
  @IsMongoId()
  after?: string;
}

export interface CursorPage<T> {
  items: T[];
  /** Pass as `after` to fetch the next page; null on the last page. */
  next: string | null;
}

/** A full page may have a successor; a short one is the last. */
export function cursorPage<T extends { id: string }>(items: T[], limit: number): CursorPage<T> {
  return { items, next: items.length === limit ? (items[items.length - 1]?.id ?? null) : null };
}
