import { Injectable } from '@nestjs/common';
import { SignedLink, SignedLinksService } from '../auth/signed-links.service';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { NotFoundError } from '../common/domain-error';
import { emailKey } from './email.rules';
import { CreateStudentDto } from './dto/create-student.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { StudentRecord, StudentsRepository } from './students.repository';

export type StudentPage = CursorPage<StudentRecord>;

@Injectable()
export class StudentsService {
  constructor(
    private readonly students: StudentsRepository,
    private readonly links: SignedLinksService,
  ) {}

  /** Registers a student, or returns the existing one with the same email (idempotent). */
  register(dto: CreateStudentDto): Promise<{ student: StudentRecord; created: boolean }> {
    return this.students.findOrCreate({
      email: dto.email.trim(),
      emailKey: emailKey(dto.email),
      name: dto.name.trim(),
      locale: dto.locale ?? 'zh-CN',
      ...(dto.timezone ? { timezone: dto.timezone } : {}),
    });
  }

  async get(id: string): Promise<StudentRecord> {
    const student = await this.students.findById(id);
    if (!student) throw new NotFoundError('student', id);
    return student;
  }

  async list(query: { email?: string; limit?: number; after?: string }): Promise<StudentPage> {
    const limit = query.limit ?? 50;
    const items = await this.students.listPage(
      query.email !== undefined ? { emailKey: emailKey(query.email) } : {},
      limit,
      query.after,
    );
    return cursorPage(items, limit);
  }

  async updateProfile(id: string, dto: UpdateProfileDto): Promise<StudentRecord> {
    const student = await this.students.update(id, {
      ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
      ...(dto.locale !== undefined ? { locale: dto.locale } : {}),
      ...(dto.timezone !== undefined ? { timezone: dto.timezone } : {}),
    });
    if (!student) throw new NotFoundError('student', id);
    return student;
  }

  /** A fresh signed link to the student's own profile/API, e.g. to resend by hand. */
  async issueAccessLink(id: string): Promise<SignedLink> {
    const student = await this.get(id);
    return this.links.issue(student.id, '/api/me');
  }
}
