import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsMongoId, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { MoneyDto } from '../../common/money';
import { ORDER_STATUSES, OrderStatus } from '../order.schema';

export class PlaceOrderDto {
  @ApiProperty({ description: 'A quote from POST /api/me/quotes that has not expired' })
  @IsMongoId()
  quoteId!: string;
}

export class ConfirmPaymentDto {
  @ApiProperty({ example: 'bank transfer 2026-03-08 #4411', description: 'What identifies the payment' })
  @Length(1, 200)
  @IsString()
  reference!: string;
}

export class OrdersQuery extends CursorPageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  cohortId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}

export const WEBHOOK_EVENT_TYPES = ['payment.succeeded', 'payment.refunded'] as const;

/** What a payment provider posts to `/api/payments/webhook` (signed; see payment.rules). */
export class PaymentWebhookDto {
  @ApiProperty({ example: 'evt_1NVx2', description: "The provider's event id (a repeated id is a replay)" })
  @Length(1, 200)
  @IsString()
  id!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  @IsIn(WEBHOOK_EVENT_TYPES)
  type!: (typeof WEBHOOK_EVENT_TYPES)[number];

  @ApiProperty()
  @IsMongoId()
  orderId!: string;

  @ApiProperty({ type: MoneyDto, description: 'Must equal the order price' })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  amount!: MoneyDto;

  @ApiPropertyOptional({ description: "The provider's payment id, kept as the payment reference" })
  @IsOptional()
  @Length(1, 200)
  @IsString()
  paymentId?: string;
}
