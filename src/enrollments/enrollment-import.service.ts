import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Tenancy } from '../common/tenancy';
import { FieldError, validateDto } from '../common/validation';
import { CohortsService } from '../cohorts/cohorts.service';
import { enrollmentRefusal } from '../cohorts/sign-up.rules';
import { identityKey } from '../students/email.rules';
import { EnrollDto } from './dto/enroll.dto';
import { EnrollmentConfirmations } from './enrollment-confirmations.service';
import { duplicateLines, ImportLine, parseImportCsv } from './enrollment-import.rules';
import { CohortFullError, EnrollmentClosedError, ImportFileError } from './enrollments.errors';
import { EnrollmentRecord, EnrollmentsRepository } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';

export const IMPORT_OUTCOMES = ['new', 'existing', 'invalid', 'duplicate', 'cohort_full'] as const;
/** `existing`: already enrolled in the cohort (also by another address of the same inbox). */
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportRowResult {
  line: number;
  email?: string;
  name?: string;
  outcome: ImportOutcome;
  errors?: FieldError[];
  enrollmentId?: string;
}

export interface ImportResult {
  dryRun: boolean;
  counts: Record<ImportOutcome, number>;
  rows: ImportRowResult[];
}

export interface ImportRequest {
  csv: string;
  /** Writes nothing: predicts each row's outcome from the enrolments and seats there are now. */
  dryRun?: boolean;
  /** Staff vouch that these students agreed: their places are confirmed at once (the welcome follows). */
  confirmed?: boolean;
}

/** A row as validation left it: a sign-up to make, or the reason it is refused. */
type CheckedRow =
  | { line: number; email?: string; name?: string; refused: 'invalid' | 'duplicate'; errors: FieldError[] }
  | { line: number; email: string; name: string; dto: EnrollDto; identity: string };

/**
 * Staff enrol a list of students from a CSV file, each through the same sign-up as the public form
 * (same validation, idempotent per inbox, never over capacity), one row at a time in file order so
 * seats go in file order and a dry run predicts exactly what a real run does.
 */
@Injectable()
export class EnrollmentImportService {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly enrollments: EnrollmentsService,
    private readonly confirmations: EnrollmentConfirmations,
    private readonly repository: EnrollmentsRepository,
    private readonly clock: Clock,
  ) {}

  async import(cohortId: string, request: ImportRequest, tenancy: Tenancy): Promise<ImportResult> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const refusal = enrollmentRefusal(cohort, this.clock.now());
    if (refusal) throw new EnrollmentClosedError(cohortId, refusal);
    const parsed = parseImportCsv(request.csv);
    if (!parsed.ok) throw new ImportFileError(parsed.error);
    const rows = await this.check(parsed.lines);
    const signUps = rows.filter((row) => 'dto' in row);
    const known = new Map(
      (await this.repository.findByInboxes(cohortId, [...new Set(signUps.map((row) => row.identity))])).map(
        (enrollment) => [identityKey(enrollment.email), enrollment],
      ),
    );
    const dryRun = request.dryRun ?? false;
    const results = dryRun
      ? await this.predict(cohortId, cohort.capacity, rows, known)
      : await this.enrollAll(cohortId, rows, known, request.confirmed ?? false);
    const counts = Object.fromEntries(IMPORT_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ImportOutcome, number>;
    for (const row of results) counts[row.outcome]++;
    return { dryRun, counts, rows: results };
  }

  /** Each row validated as the API validates a sign-up, then later rows of an address marked duplicates. */
  private async check(lines: ImportLine[]): Promise<CheckedRow[]> {
    const checked: CheckedRow[] = [];
    for (const { line, row } of lines) {
      const shown = { line, ...(row.email ? { email: row.email } : {}), ...(row.name ? { name: row.name } : {}) };
      const validated = await validateDto(EnrollDto, row);
      checked.push(
        validated.ok
          ? {
              line,
              email: validated.value.email,
              name: validated.value.name,
              dto: validated.value,
              identity: identityKey(validated.value.email),
            }
          : { ...shown, refused: 'invalid', errors: validated.fields },
      );
    }
    const duplicates = duplicateLines(checked.filter((row) => 'dto' in row));
    return checked.map((row) => {
      const first = duplicates.get(row.line);
      if (first === undefined || !('dto' in row)) return row;
      const { line, email, name } = row;
      return {
        line,
        email,
        name,
        refused: 'duplicate',
        errors: [{ field: 'email', errors: [`email is already on line ${first}`] }],
      };
    });
  }

  /** The dry run: who is enrolled already, and who would find a seat, from the seats taken now. */
  private async predict(
    cohortId: string,
    capacity: number,
    rows: CheckedRow[],
    known: Map<string, EnrollmentRecord>,
  ): Promise<ImportRowResult[]> {
    // Sign-ups count every enrolment, as taking a seat does: an unsubscribed one keeps its seat.
    let free = capacity - (await this.enrollments.signUpCounts(cohortId)).enrolled;
    const joining = new Set<string>();
    return rows.map((row) => {
      if (!('dto' in row)) return refusedRow(row);
      const { line, email, name, identity } = row;
      const enrolled = known.get(identity);
      if (enrolled) return { line, email, name, outcome: 'existing', enrollmentId: enrolled.id };
      // Another address of an inbox an earlier row brings: the sign-up finds that row's place.
      if (joining.has(identity)) return { line, email, name, outcome: 'existing' };
      if (free <= 0) return { line, email, name, outcome: 'cohort_full' };
      free--;
      joining.add(identity);
      return { line, email, name, outcome: 'new' };
    });
  }

  private async enrollAll(
    cohortId: string,
    rows: CheckedRow[],
    known: Map<string, EnrollmentRecord>,
    confirmed: boolean,
  ): Promise<ImportRowResult[]> {
    const before = new Set([...known.values()].map((enrollment) => enrollment.id));
    const results: ImportRowResult[] = [];
    // One at a time: seats are taken in file order, as the dry run predicted them.
    for (const row of rows) {
      if (!('dto' in row)) {
        results.push(refusedRow(row));
        continue;
      }
      const { line, email, name, dto } = row;
      let enrollment: EnrollmentRecord;
      try {
        enrollment = await this.enrollments.enroll(cohortId, dto, undefined, { askToConfirm: !confirmed });
      } catch (error) {
        if (!(error instanceof CohortFullError)) throw error;
        results.push({ line, email, name, outcome: 'cohort_full' });
        continue;
      }
      const outcome = before.has(enrollment.id) ? 'existing' : 'new';
      before.add(enrollment.id);
      // Unsubscribed or withdrawn places stay so: only the student can rejoin.
      if (confirmed && enrollment.status === 'pending') {
        await this.confirmations.confirm(enrollment.id, enrollment.studentId);
      }
      results.push({ line, email, name, outcome, enrollmentId: enrollment.id });
    }
    return results;
  }
}

function refusedRow(row: Extract<CheckedRow, { refused: unknown }>): ImportRowResult {
  const { refused, ...shown } = row;
  return { ...shown, outcome: refused };
}
