import { randomBytes } from 'node:crypto';
import { CreateStudentDto } from '../../src/students/dto/create-student.dto';

/** A valid student payload with a unique email; override any field. */
export function studentInput(overrides: Partial<CreateStudentDto> = {}): CreateStudentDto {
  const id = randomBytes(4).toString('hex');
  return { email: `student.${id}@example.test`, name: `Student ${id}`, locale: 'zh-CN', ...overrides };
}
