import { Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthCheck, HealthCheckResult, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Connection } from 'mongoose';
import { PublicRoute } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';

@ApiController('health', 'ops')
@PublicRoute()
@SkipThrottle()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    @InjectConnection(COURSE_FUNNEL_CONNECTION) private readonly connection: Connection,
  ) {}

  @ApiOperation({
    summary: 'Health check',
    description: '200 with `status: ok` when the database answers a ping; 503 otherwise.',
  })
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.mongoose.pingCheck('database', { connection: this.connection, timeout: 3000 }),
    ]);
  }
}
