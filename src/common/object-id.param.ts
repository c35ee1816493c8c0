import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

/** `:id` route parameters are checked before they reach a query, so a bad id is a 400, not a 500. */
export class ObjectIdParam {
  @ApiProperty({ example: '665f1c2e9b1e8a0012345678' })
  @IsMongoId()
  id!: string;
}
