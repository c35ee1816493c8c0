import { Body, Get, Header, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  CurrentStaff,
  CurrentStudent,
  Staff,
  StaffPrincipal,
  StudentLink,
  StudentPrincipal,
} from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { csvDownload } from '../http/csv-download';
import { ObjectIdParam } from '../common/object-id.param';
import { periodOf } from '../common/period.query';
import { CommissionsService, CommissionStatement } from './commissions.service';
import { LevelRecord } from './commissions.repository';
import { PayoutDto, SetLevelDto, StatementQuery } from './dto/commission.dto';
import { LevelsService } from './levels.service';

/** A student's own level and commissions, through their signed link. */
@ApiController('api/me/commissions', 'commissions')
@StudentLink('student', 'offer')
export class MyCommissionsController {
  constructor(
    private readonly commissions: CommissionsService,
    private readonly levels: LevelsService,
  ) {}

  @ApiOperation({
    summary: 'My commissions and level',
    description:
      "The student's commission statement (earned, held, payable, paid) and their level (member, agent, partner).",
  })
  @Get()
  async mine(@CurrentStudent() me: StudentPrincipal): Promise<CommissionStatement & { level: LevelRecord }> {
    const [statement, level] = await Promise.all([
      this.commissions.statement(me.studentId),
      this.levels.level(me.studentId),
    ]);
    return { ...statement, level };
  }
}

/** Statements and payouts for staff. */
@ApiController('api/commissions', 'commissions')
export class CommissionsController {
  constructor(private readonly commissions: CommissionsService) {}

  @ApiOperation({
    summary: "An agent's commission statement",
    description: "One agent's entries for a period, as JSON or CSV (`format=csv`).",
  })
  @Get('statement')
  @Staff('instructor')
  async statement(@Query() query: StatementQuery): Promise<CommissionStatement | StreamableFile> {
    if (query.format !== 'csv') return this.commissions.statement(query.studentId, periodOf(query));
    return csvDownload(
      `commissions-${query.studentId}.csv`,
      await this.commissions.statementCsv(query.studentId, periodOf(query)),
    );
  }

  @ApiOperation({
    summary: 'Record a payout',
    description: 'Records a payout of everything payable to a student (admins: this is money leaving).',
  })
  @Post('payouts')
  @Staff('admin')
  @HttpCode(200)
  payout(@Body() { studentId }: PayoutDto, @CurrentStaff() staff: StaffPrincipal) {
    return this.commissions.payout(studentId, staff.tokenId);
  }
}

/** The promotion ladder for staff. */
@ApiController('api', 'commissions')
export class LevelsController {
  constructor(private readonly levels: LevelsService) {}

  @ApiOperation({
    summary: 'Levels due for review',
    description: 'Agents and partners whose activity fell below the maintenance threshold.',
  })
  @Get('levels/review')
  @Staff('instructor')
  @Header('Cache-Control', 'no-store')
  due(): Promise<LevelRecord[]> {
    return this.levels.dueForReview();
  }

  @ApiOperation({
    summary: 'Run the level review now',
    description: 'Runs the maintenance review now (it also runs daily).',
  })
  @Post('levels/review')
  @Staff('admin')
  @HttpCode(200)
  review() {
    return this.levels.reviewActivity();
  }

  @ApiOperation({
    summary: "A student's level and its history",
    description: "The student's level (member, agent, partner), when it changed and why.",
  })
  @Get('students/:id/level')
  @Staff('instructor')
  level(@Param() { id }: ObjectIdParam) {
    return this.levels.levelWithHistory(id);
  }

  @ApiOperation({
    summary: 'Set a level by hand',
    description: 'Promotes or demotes by hand, with a reason kept in the history.',
  })
  @Put('students/:id/level')
  @Staff('admin')
  setLevel(
    @Param() { id }: ObjectIdParam,
    @Body() dto: SetLevelDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LevelRecord> {
    return this.levels.setByStaff(id, dto.level, dto.reason.trim(), staff.tokenId);
  }
}
