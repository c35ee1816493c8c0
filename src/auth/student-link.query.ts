import { ApiHideProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The query of a route a student opens with their signed link: the link's own `?token=` is part
 * of it (the guard reads it; the X-Student-Token header works too), so validation must let it by.
 */
export class StudentLinkQuery {
  // Documented once, as the student-link security scheme (http-app.setup.ts), not as a parameter.
  @ApiHideProperty()
  @IsOptional()
  @MaxLength(2000)
  @IsString()
  token?: string;
}
