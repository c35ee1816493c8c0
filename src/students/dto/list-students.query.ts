import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsMongoId, IsOptional, Max, Min } from 'class-validator';

export class ListStudentsQuery {
  @ApiPropertyOptional({ description: 'Exact email (case-insensitive)' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the id of the last student of the previous page' })
  @IsOptional()
  @IsMongoId()
  after?: string;
}
