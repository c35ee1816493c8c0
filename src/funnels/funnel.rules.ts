import { FieldError } from '../common/validation';
import { homeworkSpecProblems } from './homework-spec';
import { priceTierProblems } from './price-ladder';
import { addDuration, releaseAt } from '../schedule/schedule.rules';
import { FunnelContent, LESSON_PHASES, offerOpensAfterMs } from './funnel-content';
import { lessonBodyProblems } from './lesson-body';

// Any fixed start works for comparing offsets; a Monday in UTC keeps it readable.
const REFERENCE_START = new Date('2026-01-05T00:00:00Z');

/**
 * Rules a funnel's content must meet beyond field formats: unique lesson keys, phases in funnel
 * order (value, then closing, then paid), at least one closing lesson before the offer,
 * releases that never go back in time, and lesson bodies that render. Returns the problems, each naming its field.
 */
export function funnelContentProblems(content: FunnelContent): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  let previousPhase = 0;
  let previousRelease = -Infinity;
  content.lessons.forEach((lesson, i) => {
    const field = `lessons.${i}`;
    if (seen.has(lesson.key)) problems.push({ field: `${field}.key`, errors: [`duplicate lesson key ${lesson.key}`] });
    seen.add(lesson.key);
    const phase = LESSON_PHASES.indexOf(lesson.phase);
    if (phase < previousPhase) {
      problems.push({
        field: `${field}.phase`,
        errors: [`a ${lesson.phase} lesson cannot follow a ${LESSON_PHASES[previousPhase]} lesson`],
      });
    }
    previousPhase = Math.max(previousPhase, phase);
    const bodyProblems = lessonBodyProblems(lesson.body);
    if (bodyProblems.length > 0) problems.push({ field: `${field}.body`, errors: bodyProblems });
    const release = releaseAt(REFERENCE_START, lesson.release, 'UTC').getTime();
    if (release < previousRelease) {
      problems.push({ field: `${field}.release`, errors: ['releases earlier than the lesson before it'] });
    }
    previousRelease = Math.max(previousRelease, release);
    if (lesson.homework) {
      for (const problem of homeworkSpecProblems(lesson.homework)) {
        problems.push({ field: `${field}.homework`, errors: [problem] });
      }
    }
  });
  for (const { field, error } of priceTierProblems(content.offer.listPrice, content.offer.priceTiers ?? [])) {
    problems.push({ field: `offer.${field}`, errors: [error] });
  }
  const opens = REFERENCE_START.getTime() + offerOpensAfterMs(content.offer);
  if (opens >= addDuration(REFERENCE_START, content.offer.deadlineAfter, 'UTC').getTime()) {
    problems.push({ field: 'offer.openAfter', errors: ['the offer must go out before its deadline (deadlineAfter)'] });
  }
  if (!content.lessons.some((l) => l.phase === 'closing')) {
    problems.push({ field: 'lessons', errors: ['a funnel needs at least one closing lesson before its offer'] });
  }
  return problems;
}
