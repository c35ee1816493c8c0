import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsMongoId, Min } from 'class-validator';

export class FunnelVersionParam {
  @ApiProperty()
  @IsMongoId()
  id!: string;

  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @Min(1)
  @IsInt()
  version!: number;
}
