/**
 * Seeds a bench cohort straight through the driver (run by seedInChild in bench/support):
 * N confirmed students, and with --attendance-for a lesson what a real class leaves behind:
 * 70% opened it on time, 10% late, 2% excused by an instructor, the rest absent (by seat: of each
 * hundred seats, the first 70 on time, the next 10 late, then 2 excused). As with real sign-ups,
 * where several arrive in the same second from different instances, enrolment ids do not follow
 * seat order exactly: within each run of 64 seats they come in reverse.
 */
import { mongo, Types } from 'mongoose';
import { parseArgs } from 'node:util';
import { seatKey, signupKey } from '../src/enrollments/enrollment.schema';

const { values } = parseArgs({
  options: {
    uri: { type: 'string' },
    cohort: { type: 'string' },
    students: { type: 'string' },
    'attendance-for': { type: 'string' },
    'released-at': { type: 'string' },
  },
});

const BATCH = 5000;
const ID_DISORDER = 64;

/** `size` new ids, reversed within each run of ID_DISORDER seats. */
function idsOutOfSeatOrder(size: number): Types.ObjectId[] {
  const ids = Array.from({ length: size }, () => new Types.ObjectId());
  const shuffled: Types.ObjectId[] = [];
  for (let from = 0; from < size; from += ID_DISORDER) shuffled.push(...ids.slice(from, from + ID_DISORDER).reverse());
  return shuffled;
}

async function seed(uri: string, cohortId: Types.ObjectId, n: number): Promise<void> {
  const client = await mongo.MongoClient.connect(uri);
  const db = client.db();
  const now = new Date();
  const lessonKey = values['attendance-for'];
  const releasedAt = new Date(values['released-at'] ?? now);
  const minutesAfter = (minutes: number) => new Date(releasedAt.getTime() + minutes * 60_000);
  for (let from = 0; from < n; from += BATCH) {
    const size = Math.min(BATCH, n - from);
    const students = Array.from({ length: size }, (_, i) => ({
      _id: new Types.ObjectId(),
      email: `s${from + i}@bench.test`,
      emailKey: `s${from + i}@bench.test`,
      name: `Student ${from + i}`,
      locale: (from + i) % 2 ? 'en' : 'zh-CN',
      createdAt: now,
      updatedAt: now,
    }));
    await db.collection('cf_students').insertMany(students, { ordered: false });
    const ids = idsOutOfSeatOrder(size);
    const enrollments = students.map((s, i) => ({
      _id: ids[i],
      cohortId,
      studentId: s._id,
      emailKey: s.emailKey,
      email: s.email,
      name: s.name,
      seat: from + i + 1,
      seatKey: seatKey(cohortId.toHexString(), from + i + 1),
      signupKey: signupKey(cohortId.toHexString(), s.emailKey),
      status: 'confirmed',
      locale: s.locale,
      createdAt: now,
      confirmedAt: now,
    }));
    await db.collection('cf_enrollments').insertMany(enrollments, { ordered: false });
    if (!lessonKey) continue;
    const events = [];
    const marks = [];
    for (const [i, e] of enrollments.entries()) {
      const bucket = (from + i) % 100;
      const base = { cohortId, enrollmentId: e._id, lessonKey };
      if (bucket < 70)
        events.push({
          _id: `${e._id.toHexString()}:${lessonKey}:joined`,
          ...base,
          kind: 'joined',
          at: minutesAfter(5),
        });
      else if (bucket < 80)
        events.push({
          _id: `${e._id.toHexString()}:${lessonKey}:joined`,
          ...base,
          kind: 'joined',
          at: minutesAfter(45),
        });
      else if (bucket < 82) {
        marks.push({
          _id: `${e._id.toHexString()}:${lessonKey}`,
          ...base,
          status: 'excused',
          markedBy: 'bench',
          markedAt: now,
        });
      }
    }
    if (events.length) await db.collection('cf_attendance_events').insertMany(events as never[], { ordered: false });
    if (marks.length) await db.collection('cf_attendance_marks').insertMany(marks as never[], { ordered: false });
  }
  await client.close();
}

seed(values.uri!, new Types.ObjectId(values.cohort), Number(values.students)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
