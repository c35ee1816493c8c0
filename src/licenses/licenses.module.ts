import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { FunnelsModule } from '../funnels/funnels.module';
import { MessagesModule } from '../messages/messages.module';
import { OrdersModule } from '../orders/orders.module';
import { PartnersModule } from '../partners/partners.module';
import {
  License,
  LicenseLedgerEntry,
  LicenseLedgerSchema,
  LicenseLock,
  LicenseLockSchema,
  LicenseSchema,
} from './license.schema';
import { LicensesController, UpstreamController } from './licenses.controller';
import { LicensesRepository } from './licenses.repository';
import { LicenseClonesService } from './license-clones.service';
import { LicenseLedgerService } from './license-ledger.service';
import { LicensesService } from './licenses.service';

/** City-partner licensing: licenses, clones, what partners may change, and the license ledger. */
@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: License.name, schema: LicenseSchema },
        { name: LicenseLock.name, schema: LicenseLockSchema },
        { name: LicenseLedgerEntry.name, schema: LicenseLedgerSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    FunnelsModule,
    MessagesModule,
    OrdersModule,
    PartnersModule,
  ],
  controllers: [LicensesController, UpstreamController],
  providers: [LicensesRepository, LicensesService, LicenseClonesService, LicenseLedgerService],
  exports: [LicensesService, LicenseClonesService, LicenseLedgerService],
})
export class LicensesModule {}
