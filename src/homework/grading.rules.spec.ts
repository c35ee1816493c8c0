import { GradingAssignment, gradingAssignmentProblems, gradingStep, mayReview } from './grading.rules';

const assignment: GradingAssignment = {
  cohortId: 'c',
  lessonKey: 'v1',
  graders: ['assistant'],
  reviewers: ['lead'],
  reviewRequired: true,
};

describe('grading step', () => {
  it('lets any instructor grade straight to the student when nobody is assigned', () => {
    expect(gradingStep(null, { tokenId: 'x', role: 'instructor' })).toEqual({ allowed: true, needsReview: false });
  });

  it('sends an assigned grader’s grade to review when the lesson requires it', () => {
    expect(gradingStep(assignment, { tokenId: 'assistant', role: 'instructor' })).toEqual({
      allowed: true,
      needsReview: true,
    });
    expect(gradingStep({ ...assignment, reviewRequired: false }, { tokenId: 'assistant', role: 'instructor' })).toEqual(
      { allowed: true, needsReview: false },
    );
  });

  it('takes a reviewer’s or an admin’s grade as final', () => {
    expect(gradingStep(assignment, { tokenId: 'lead', role: 'instructor' })).toEqual({
      allowed: true,
      needsReview: false,
    });
    expect(gradingStep(assignment, { tokenId: 'root', role: 'admin' })).toEqual({ allowed: true, needsReview: false });
  });

  it('refuses instructors not assigned to the lesson, naming it', () => {
    const step = gradingStep(assignment, { tokenId: 'other', role: 'instructor' });
    expect(step).toEqual({ allowed: false, reason: expect.stringContaining('lesson v1') });
  });
});

describe('who may review', () => {
  it('is the reviewers and admins, not the graders', () => {
    expect(mayReview(assignment, { tokenId: 'lead', role: 'instructor' })).toBe(true);
    expect(mayReview(assignment, { tokenId: 'root', role: 'admin' })).toBe(true);
    expect(mayReview(assignment, { tokenId: 'assistant', role: 'instructor' })).toBe(false);
  });

  it('is any instructor once the assignment is gone, so no grade is stuck', () => {
    expect(mayReview(null, { tokenId: 'someone', role: 'instructor' })).toBe(true);
    expect(mayReview(null, { tokenId: 'p', role: 'partner' })).toBe(false);
  });
});

describe('assignment problems', () => {
  it('accepts graders with reviewers', () => {
    expect(gradingAssignmentProblems(assignment)).toEqual([]);
    expect(gradingAssignmentProblems({ graders: ['a'], reviewers: [], reviewRequired: false })).toEqual([]);
  });

  it('names what cannot work', () => {
    expect(gradingAssignmentProblems({ graders: [], reviewers: [], reviewRequired: false })).toEqual([
      'graders must name at least one grader (or reviewers one reviewer)',
    ]);
    expect(gradingAssignmentProblems({ graders: ['a'], reviewers: [], reviewRequired: true })).toEqual([
      'reviewers must name at least one reviewer when reviewRequired is true',
    ]);
    expect(gradingAssignmentProblems({ graders: ['a', 'b'], reviewers: ['b'], reviewRequired: true })).toEqual([
      'graders and reviewers must not share anyone (b)',
    ]);
  });
});
