import { Body, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Staff } from '../auth/access.decorators';
import { SignedLink } from '../auth/signed-links.service';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CreateStudentDto } from './dto/create-student.dto';
import { ListStudentsQuery } from './dto/list-students.query';
import { StudentPage, StudentsService } from './students.service';
import { StudentRecord } from './students.repository';

/** Staff view of students (e.g. importing members of a chat group before a cohort opens). */
@ApiController('api/students', 'students')
@Staff('instructor')
export class StudentsController {
  constructor(private readonly students: StudentsService) {}

  @ApiOperation({
    summary: 'Register a student',
    description: '201 when created, 200 with the existing student when the email is already registered.',
  })
  @Post()
  async register(@Body() dto: CreateStudentDto, @Res({ passthrough: true }) res: Response): Promise<StudentRecord> {
    const { student, created } = await this.students.register(dto);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return student;
  }

  @ApiOperation({ summary: 'List students', description: 'Students a page at a time (`limit`, `after`).' })
  @Get()
  list(@Query() query: ListStudentsQuery): Promise<StudentPage> {
    return this.students.list(query);
  }

  @ApiOperation({ summary: 'Get a student', description: "The student's record: name, email, locale and timezone." })
  @Get(':id')
  get(@Param() { id }: ObjectIdParam): Promise<StudentRecord> {
    return this.students.get(id);
  }

  @ApiOperation({
    summary: 'Issue a student access link',
    description: "A signed, expiring link for the student's own routes (/api/me), e.g. to send by hand.",
  })
  @Post(':id/access-link')
  @HttpCode(HttpStatus.OK)
  issueAccessLink(@Param() { id }: ObjectIdParam): Promise<SignedLink> {
    return this.students.issueAccessLink(id);
  }
}
