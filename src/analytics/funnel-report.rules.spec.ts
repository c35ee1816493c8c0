import { funnelSteps, notesSharedFigures, referralFigures } from './funnel-report.rules';

describe('funnel report', () => {
  it('gives each step its conversion from the step before', () => {
    expect(
      funnelSteps([
        { step: 'enrolled', count: 200 },
        { step: 'confirmed', count: 150 },
        { step: 'attended:v1', count: 0 },
        { step: 'paid', count: 0 },
      ]),
    ).toEqual([
      { step: 'enrolled', count: 200, conversion: null },
      { step: 'confirmed', count: 150, conversion: 0.75 },
      { step: 'attended:v1', count: 0, conversion: 0 },
      { step: 'paid', count: 0, conversion: null },
    ]);
  });

  it('computes invites per student and the viral coefficient K', () => {
    expect(referralFigures(300, 120, 150)).toEqual({
      invites: 300,
      qualified: 120,
      invitesPerStudent: 2,
      viralCoefficient: 0.8,
    });
    expect(referralFigures(0, 0, 0)).toEqual({
      invites: 0,
      qualified: 0,
      invitesPerStudent: null,
      viralCoefficient: null,
    });
  });

  it('counts the notes shared per class beside its attendance', () => {
    expect(
      notesSharedFigures(
        [
          { lessonKey: 'v1', attended: 4 },
          { lessonKey: 'v2', attended: 0 },
          { lessonKey: 'c1', attended: 3 },
        ],
        new Map([
          ['v1', 3],
          ['c1', 1],
        ]),
      ),
    ).toEqual([
      { lessonKey: 'v1', shared: 3, ofAttended: 0.75 },
      { lessonKey: 'v2', shared: 0, ofAttended: null },
      { lessonKey: 'c1', shared: 1, ofAttended: 0.3333 },
    ]);
  });
});
