import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { CurrentTenancy, ScopedBy, tenancyOf } from '../auth/organization-scope';
import { ObjectIdParam } from '../common/object-id.param';
import { Tenancy } from '../common/tenancy';
import { ApiBodyExample } from '../http/api-body-example.decorator';
import { ApiController } from '../http/api-controller.decorator';
import { CohortNoteParams, HideNoteDto, StaffNotesQueryDto } from './dto/notes.dto';
import { NotesPage, NotesService, StaffNote } from './notes.service';

/** The notes students shared with their group, for the cohort's instructors: read, hide, show again. */
@ApiController('api/cohorts', 'notes')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @ApiOperation({
    summary: "A cohort's shared notes",
    description:
      'The notes students shared with their group, newest first: every class or one (`lessonKey`), visible, hidden or all (`state`), a page at a time (`after` is the previous page’s `next`). Notes a student stopped sharing are not listed.',
  })
  @Get(':id/notes')
  list(
    @Param() { id }: ObjectIdParam,
    @Query() query: StaffNotesQueryDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<NotesPage<StaffNote>> {
    return this.notes.list(
      id,
      {
        state: query.state ?? 'all',
        limit: query.limit ?? 50,
        ...(query.lessonKey ? { lessonKey: query.lessonKey } : {}),
        ...(query.after ? { after: query.after } : {}),
      },
      tenancy,
    );
  }

  @ApiOperation({
    summary: 'Hide a shared note',
    description:
      'Takes the note off every lesson page at once. The reason (required), who and when are kept and shown to staff; the student sees only that it is hidden. Hiding a hidden note changes nothing.',
  })
  @Post(':id/notes/:noteId/hide')
  @HttpCode(HttpStatus.OK)
  @ApiBodyExample(HideNoteDto, 'A note that names another student', { reason: 'Names another student' })
  hide(
    @Param() { id, noteId }: CohortNoteParams,
    @Body() dto: HideNoteDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<StaffNote> {
    return this.notes.hide(id, noteId, dto.reason, staff, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Show a hidden note again',
    description: 'Puts a hidden note back on the wall; the hiding stays in its `moderation` history.',
  })
  @Post(':id/notes/:noteId/unhide')
  @HttpCode(HttpStatus.OK)
  unhide(@Param() { id, noteId }: CohortNoteParams, @CurrentStaff() staff: StaffPrincipal): Promise<StaffNote> {
    return this.notes.unhide(id, noteId, staff, tenancyOf(staff));
  }
}
