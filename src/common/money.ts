import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Money is integer minor units (fen, cents) with an ISO 4217 currency code; never floats. */
export interface Money {
  amount: number;
  currency: string;
}

export class MoneyDto implements Money {
  @ApiProperty({ example: 19900, description: 'Minor units, e.g. 19900 = 199.00' })
  @Min(0)
  @Max(100_000_000_00)
  @IsInt()
  amount!: number;

  @ApiProperty({ example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as CNY' })
  currency!: string;
}
