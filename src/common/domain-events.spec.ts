import { DomainEvents } from './domain-events';

describe('domain events', () => {
  it('runs every handler of an event in turn, and only those', async () => {
    const events = new DomainEvents();
    const seen: string[] = [];
    events.on('order.paid', ({ orderId }) => Promise.resolve(void seen.push(`a:${orderId}`)));
    events.on('order.paid', ({ orderId }) => Promise.resolve(void seen.push(`b:${orderId}`)));
    events.on('order.refunded', ({ orderId }) => Promise.resolve(void seen.push(`refund:${orderId}`)));
    await events.emit('order.paid', { orderId: 'o1' });
    expect(seen).toEqual(['a:o1', 'b:o1']);
  });

  it('fails the emit when a handler fails, so the caller can retry', async () => {
    const events = new DomainEvents();
    events.on('order.paid', () => Promise.reject(new Error('database down')));
    await expect(events.emit('order.paid', { orderId: 'o1' })).rejects.toThrow('database down');
    await expect(events.emit('order.refunded', { orderId: 'o1' })).resolves.toBeUndefined();
  });
});
