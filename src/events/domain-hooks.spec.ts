import { DomainHooks } from './domain-hooks';

describe('domain hooks', () => {
  it('runs every handler of a hook in turn, and only those', async () => {
    const hooks = new DomainHooks();
    const seen: string[] = [];
    hooks.on('funnel.messages.proposed', ({ funnelId }) => Promise.resolve(void seen.push(`a:${funnelId}`)));
    hooks.on('funnel.messages.proposed', ({ funnelId }) => Promise.resolve(void seen.push(`b:${funnelId}`)));
    hooks.on('cohort.opening', () => Promise.resolve(void seen.push('opening')));
    await hooks.run('funnel.messages.proposed', { funnelId: 'f1' });
    expect(seen).toEqual(['a:f1', 'b:f1']);
  });

  it('fails with the first refusal, so the change is not saved', async () => {
    const hooks = new DomainHooks();
    const seen: string[] = [];
    hooks.on('funnel.messages.proposed', () => Promise.reject(new Error('locked by the license')));
    hooks.on('funnel.messages.proposed', () => Promise.resolve(void seen.push('second')));
    await expect(hooks.run('funnel.messages.proposed', { funnelId: 'f1' })).rejects.toThrow('locked by the license');
    expect(seen).toEqual([]);
  });
});
