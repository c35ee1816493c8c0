import { FunnelContentDto } from '../../src/funnels/dto/funnel-content.dto';

/** A small valid funnel: two value lessons, two closing lessons, minutes apart. */
export function funnelInput(overrides: Partial<FunnelContentDto> = {}): FunnelContentDto {
  return {
    name: 'Test funnel',
    defaultLocale: 'en',
    lessons: [
      { key: 'v1', phase: 'value', title: 'Value 1', body: 'Hello {{student.name}}', release: { after: 'PT0M' } },
      { key: 'v2', phase: 'value', title: 'Value 2', body: 'Second', release: { after: 'PT10M' } },
      { key: 'c1', phase: 'closing', title: 'Closing 1', body: 'Third', release: { after: 'PT20M' } },
      { key: 'c2', phase: 'closing', title: 'Closing 2', body: 'Fourth', release: { after: 'PT30M' } },
    ],
    offer: { courseName: 'Full course', listPrice: { amount: 19900, currency: 'CNY' }, deadlineAfter: 'P2D' },
    ...overrides,
  };
}
