import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoInstant } from '../../common/iso-instant';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsMongoId,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '../../common/money';
import { TERRITORY_PATTERN } from '../../common/territory';
import { CHANGEABLE_PARTS, ChangeablePart, PriceBounds } from '../license.rules';

export class PriceBoundsDto implements PriceBounds {
  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  floor!: MoneyDto;

  @ApiProperty({ type: MoneyDto })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  ceiling!: MoneyDto;
}

export class IssueLicenseDto {
  @ApiPropertyOptional({ description: 'The funnel template licensed (not for a sub-license)' })
  @ValidateIf((dto: IssueLicenseDto) => dto.parentLicenseId === undefined)
  @IsMongoId()
  funnelId?: string;

  @ApiPropertyOptional({ description: 'Sub-licensing: the license (held by your organisation) this one derives from' })
  @IsOptional()
  @IsMongoId()
  parentLicenseId?: string;

  @ApiProperty({ description: 'The partner organisation receiving the license' })
  @IsMongoId()
  licenseeOrganizationId!: string;

  @ApiProperty({ example: 'CN/44/4403', description: 'country / province / city codes' })
  @Matches(TERRITORY_PATTERN, { message: 'territory must be codes separated by /, e.g. CN/44/4403' })
  territory!: string;

  @ApiProperty()
  @IsBoolean()
  exclusive!: boolean;

  @ApiProperty()
  @IsIsoInstant()
  startsAt!: Date;

  @ApiProperty()
  @IsIsoInstant()
  endsAt!: Date;

  @ApiProperty({ type: MoneyDto, description: 'The license fee, recorded in the license ledger' })
  @ValidateNested()
  @IsObject()
  @Type(() => MoneyDto)
  fee!: MoneyDto;

  @ApiProperty({ example: 2000, description: "The licensor's share of each sale, in basis points (2000 = 20%)" })
  @Min(0)
  @Max(10_000)
  @IsInt()
  revenueShareBasisPoints!: number;

  @ApiProperty({ type: PriceBoundsDto, description: "Floor and ceiling of the partner's offer and ladder prices" })
  @ValidateNested()
  @IsObject()
  @Type(() => PriceBoundsDto)
  priceBounds!: PriceBoundsDto;

  @ApiProperty({ enum: CHANGEABLE_PARTS, isArray: true, description: 'What the partner may change in its clone' })
  @IsIn(CHANGEABLE_PARTS, { each: true })
  @ArrayMaxSize(CHANGEABLE_PARTS.length)
  @IsArray()
  allowedChanges!: ChangeablePart[];

  @ApiPropertyOptional({ default: false, description: 'Whether the partner may license cities within its territory' })
  @IsOptional()
  @IsBoolean()
  sublicensing?: boolean;
}

export class RenewLicenseDto {
  @ApiProperty({ description: 'The new end of the term (after the current one)' })
  @IsIsoInstant()
  endsAt!: Date;

  @ApiPropertyOptional({ type: MoneyDto, description: "The renewal's fee (default: the license fee)" })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  fee?: MoneyDto;
}

export class PullUpstreamDto {
  @ApiProperty({
    example: { 'lessons.v2': 'upstream', offer: 'local', 'messages.confirm.zh-CN': 'upstream' },
    description: 'For every upstream change (GET …/upstream), take the licensor’s version or keep yours',
  })
  @IsObject()
  choices!: Record<string, 'upstream' | 'local'>;
}
