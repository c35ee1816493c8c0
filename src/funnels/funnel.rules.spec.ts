import { FunnelContent, LessonSpec } from './funnel-content';
import { funnelContentProblems } from './funnel.rules';
import { defaultFunnels } from './default-funnels';

const lesson = (key: string, phase: LessonSpec['phase'], after: string, at?: string): LessonSpec => ({
  key,
  phase,
  title: key,
  body: '',
  release: at ? { after, at } : { after },
});

const content = (lessons: LessonSpec[]): FunnelContent => ({
  name: 'x',
  defaultLocale: 'en',
  lessons,
  offer: { courseName: 'Course', listPrice: { amount: 100, currency: 'USD' }, deadlineAfter: 'P1D' },
});

describe('funnel content rules', () => {
  it('accepts value, then closing, then paid lessons in release order', () => {
    const ok = content([
      lesson('v1', 'value', 'P0D', '20:00'),
      lesson('c1', 'closing', 'P1D', '20:00'),
      lesson('p1', 'paid', 'P7D'),
    ]);
    expect(funnelContentProblems(ok)).toEqual([]);
  });

  it('names duplicate keys', () => {
    const problems = funnelContentProblems(content([lesson('a', 'value', 'P0D'), lesson('a', 'closing', 'P1D')]));
    expect(problems).toEqual([{ field: 'lessons.1.key', errors: ['duplicate lesson key a'] }]);
  });

  it('names a phase out of funnel order', () => {
    const problems = funnelContentProblems(content([lesson('c1', 'closing', 'P0D'), lesson('v1', 'value', 'P1D')]));
    expect(problems).toEqual([{ field: 'lessons.1.phase', errors: ['a value lesson cannot follow a closing lesson'] }]);
  });

  it('names a lesson released before the one before it', () => {
    const problems = funnelContentProblems(
      content([lesson('v1', 'value', 'P1D', '20:00'), lesson('c1', 'closing', 'P1D', '19:00')]),
    );
    expect(problems).toEqual([{ field: 'lessons.1.release', errors: ['releases earlier than the lesson before it'] }]);
  });

  it('requires a closing lesson', () => {
    expect(funnelContentProblems(content([lesson('v1', 'value', 'P0D')]))[0]?.field).toBe('lessons');
  });

  it('holds for the seeded 3 + 4 funnels', () => {
    for (const funnel of defaultFunnels) {
      expect(funnelContentProblems(funnel.content)).toEqual([]);
      expect(funnel.content.lessons.map((l) => l.phase)).toEqual([
        'value',
        'value',
        'value',
        'closing',
        'closing',
        'closing',
        'closing',
      ]);
    }
  });
});
