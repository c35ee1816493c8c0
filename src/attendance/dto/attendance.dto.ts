import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ATTENDANCE_STATUSES, AttendanceStatus } from '../attendance.rules';
import { EXCUSE_DECISIONS, ExcuseDecision } from '../attendance.rules';

export class CheckInDto {
  @ApiPropertyOptional({ description: 'Notes or a learning reflection', maxLength: 5000 })
  @IsOptional()
  @MaxLength(5000)
  @IsString()
  notes?: string;

  @ApiPropertyOptional({
    description: 'Also share the notes with the group on the class’s notes wall (up to 1,000 characters)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  share?: boolean;
}

export class ExcuseRequestDto {
  @ApiProperty({ example: 'Travelling that evening', maxLength: 1000 })
  @Length(1, 1000)
  @IsString()
  reason!: string;
}

export class MarkAttendanceDto {
  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;
}

export class DecideExcuseDto {
  @ApiProperty({ enum: EXCUSE_DECISIONS })
  @IsIn(EXCUSE_DECISIONS)
  decision!: ExcuseDecision;
}

export class AttendanceMatrixQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(500)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the seat of the last row of the previous page' })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @IsInt()
  afterSeat?: number;
}
