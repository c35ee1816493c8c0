import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { Organization, OrganizationSchema } from './organization.schema';
import { PartnersController } from './partners.controller';
import { OrganizationsRepository } from './organizations.repository';
import { PartnersService } from './partners.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Organization.name, schema: OrganizationSchema }], COURSE_FUNNEL_CONNECTION),
  ],
  controllers: [PartnersController],
  providers: [OrganizationsRepository, PartnersService],
  exports: [PartnersService],
})
export class PartnersModule {}
