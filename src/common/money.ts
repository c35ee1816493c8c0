import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { Locale } from './locale';

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

/** Sums amounts that may be in several currencies: one total per currency, in first-seen order. */
export function sumByCurrency(amounts: readonly Money[]): Money[] {
  const totals = new Map<string, number>();
  for (const m of amounts) totals.set(m.currency, (totals.get(m.currency) ?? 0) + m.amount);
  return [...totals].map(([currency, amount]) => ({ amount, currency }));
}

/** Money in minor units, shown in the reader's locale: 19900 CNY -> "¥199.00". */
export function formatMoney(money: Money, locale: Locale): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amount / 10 ** digits,
  );
}

const FREE: Record<Locale, string> = { 'zh-CN': '免费', en: 'free' };

/** A price as a student reads it: "¥49.00", and a price of zero is "free" (免费), never "¥0.00". */
export function formatPrice(money: Money, locale: Locale): string {
  return money.amount === 0 ? FREE[locale] : formatMoney(money, locale);
}
