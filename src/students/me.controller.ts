import { Body, Get, Patch } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { StudentRecord } from './students.repository';
import { StudentsService } from './students.service';

/** The student's own view, reached through a signed link. */
@ApiController('api/me', 'student')
@StudentLink()
export class MeController {
  constructor(private readonly students: StudentsService) {}

  @ApiOperation({ summary: 'My profile', description: "The student's name, email, locale and timezone." })
  @Get()
  profile(@CurrentStudent() me: StudentPrincipal): Promise<StudentRecord> {
    return this.students.get(me.studentId);
  }

  @ApiOperation({
    summary: 'Update my profile',
    description: 'Changes the name, locale or timezone (a student-local release clock then follows the new timezone).',
  })
  @Patch()
  update(@CurrentStudent() me: StudentPrincipal, @Body() dto: UpdateProfileDto): Promise<StudentRecord> {
    return this.students.updateProfile(me.studentId, dto);
  }
}
