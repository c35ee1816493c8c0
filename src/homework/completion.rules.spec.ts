import { DEFAULT_COMPLETION_RULE } from '../cohorts/cohort-policies';
import { progressOf } from './completion.rules';

describe('course completion', () => {
  it('counts present and late lessons as attended, not excused, absent or still open ones', () => {
    const statuses = ['present', 'late', 'excused', 'absent', 'open', 'upcoming', 'present'];
    expect(progressOf(statuses, 0, 7, DEFAULT_COMPLETION_RULE)).toEqual({
      attended: 3,
      homeworkPassed: 0,
      lessons: 7,
      complete: false,
    });
  });

  it('completes with the default rule at exactly 5 attended lessons and no homework', () => {
    const four = ['present', 'present', 'late', 'present', 'absent', 'absent', 'excused'];
    const five = ['present', 'present', 'late', 'present', 'late', 'absent', 'excused'];
    expect(progressOf(four, 0, 7, DEFAULT_COMPLETION_RULE).complete).toBe(false);
    expect(progressOf(five, 0, 7, DEFAULT_COMPLETION_RULE)).toEqual({
      attended: 5,
      homeworkPassed: 0,
      lessons: 7,
      complete: true,
    });
  });

  it('needs both minimums when the course asks for homework', () => {
    const rule = { minAttended: 3, minHomeworkPassed: 2 };
    const attendedAll = ['present', 'present', 'present', 'late'];
    expect(progressOf(attendedAll, 1, 4, rule).complete).toBe(false);
    expect(progressOf(attendedAll, 2, 4, rule).complete).toBe(true);
    expect(progressOf(['present', 'present', 'absent', 'absent'], 4, 4, rule).complete).toBe(false);
  });

  it('reports nothing attended for a student with no lessons yet', () => {
    expect(progressOf([], 0, 7, DEFAULT_COMPLETION_RULE)).toEqual({
      attended: 0,
      homeworkPassed: 0,
      lessons: 7,
      complete: false,
    });
  });

  it('is complete from the start when a rule asks for nothing', () => {
    expect(progressOf([], 0, 3, { minAttended: 0, minHomeworkPassed: 0 }).complete).toBe(true);
  });
});
