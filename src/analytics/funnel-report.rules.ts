/** One step of the funnel and how many of the step before it reached it. */
export interface FunnelStep {
  step: string;
  count: number;
  /** count / the previous step's count, 4 decimals; null for the first step or after an empty one. */
  conversion: number | null;
}

const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

/** The steps in funnel order, each with its conversion from the one before. */
export function funnelSteps(counts: { step: string; count: number }[]): FunnelStep[] {
  return counts.map((c, i) => ({ ...c, conversion: i === 0 ? null : ratio(c.count, counts[i - 1].count) }));
}

export interface ReferralFigures {
  invites: number;
  qualified: number;
  /** Referral sign-ups per confirmed student. */
  invitesPerStudent: number | null;
  /** Qualified referrals per confirmed student: above 1, each student brings in more than one. */
  viralCoefficient: number | null;
}

/**
 * Viral coefficient K = invites per student x share of invites that qualify = qualified referrals
 * per confirmed student.
 */
export function referralFigures(invites: number, qualified: number, students: number): ReferralFigures {
  return {
    invites,
    qualified,
    invitesPerStudent: ratio(invites, students),
    viralCoefficient: ratio(qualified, students),
  };
}

/** Notes shared with the group for one class: sharing is an early sign of buying in this model. */
export interface NotesSharedFigure {
  lessonKey: string;
  /** Students who shared a note for the class (stopping or a hiding later does not undo it). */
  shared: number;
  /** shared / the students who attended the class, 4 decimals; null when none attended. */
  ofAttended: number | null;
}

/** Each class's shared notes beside its attendance, in the report's class order. */
export function notesSharedFigures(
  lessons: { lessonKey: string; attended: number }[],
  shared: ReadonlyMap<string, number>,
): NotesSharedFigure[] {
  return lessons.map(({ lessonKey, attended }) => {
    const count = shared.get(lessonKey) ?? 0;
    return { lessonKey, shared: count, ofAttended: ratio(count, attended) };
  });
}
