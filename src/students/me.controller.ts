import { Body, Get, Patch } from '@nestjs/common';
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

  @Get()
  profile(@CurrentStudent() me: StudentPrincipal): Promise<StudentRecord> {
    return this.students.get(me.studentId);
  }

  @Patch()
  update(@CurrentStudent() me: StudentPrincipal, @Body() dto: UpdateProfileDto): Promise<StudentRecord> {
    return this.students.updateProfile(me.studentId, dto);
  }
}
