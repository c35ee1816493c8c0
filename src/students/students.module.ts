import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { MeController } from './me.controller';
import { Student, StudentSchema } from './student.schema';
import { StudentsController } from './students.controller';
import { StudentsRepository } from './students.repository';
import { StudentsService } from './students.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Student.name, schema: StudentSchema }], COURSE_FUNNEL_CONNECTION)],
  controllers: [StudentsController, MeController],
  providers: [StudentsRepository, StudentsService],
  exports: [StudentsService],
})
export class StudentsModule {}
