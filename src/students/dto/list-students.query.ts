import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';

export class ListStudentsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ description: 'Exact email (case-insensitive)' })
  @IsOptional()
  @IsEmail()
  email?: string;
}
