import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { NotesController } from './notes.controller';
import { NotesRepository } from './notes.repository';
import { SharedNote, SharedNoteSchema } from './notes.schema';
import { NotesService } from './notes.service';

/** The notes wall: notes students share with their group per class, and staff moderation. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: SharedNote.name, schema: SharedNoteSchema }], COURSE_FUNNEL_CONNECTION),
    CohortsModule,
  ],
  controllers: [NotesController],
  providers: [NotesRepository, NotesService],
  exports: [NotesService],
})
export class NotesModule {}
