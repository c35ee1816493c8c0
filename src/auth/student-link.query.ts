import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The query of a route a student opens with their signed link: the link's own `?token=` is part
 * of it (the guard reads it; the X-Student-Token header works too), so validation must let it by.
 */
export class StudentLinkQuery {
  @ApiPropertyOptional({ description: 'The token of your signed link (or send it as the X-Student-Token header)' })
  @IsOptional()
  @MaxLength(2000)
  @IsString()
  token?: string;
}
