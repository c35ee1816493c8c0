import { funnelChartSvg } from './funnel-chart';

describe('funnelChartSvg', () => {
  const widths = (svg: string) => [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));

  it('draws one bar per step, as wide as its share of the widest, with count and conversion', () => {
    const svg = funnelChartSvg(
      [
        { label: 'enrolled', count: 40, conversion: null },
        { label: 'confirmed', count: 30, conversion: 0.75 },
        { label: 'paid', count: 0, conversion: 0 },
      ],
      'Funnel',
    );
    expect(widths(svg)).toEqual([360, 270, 0]);
    expect(svg).toContain('>30 · 75%</text>');
    expect(svg).toContain('>40</text>');
    expect(svg).toContain('role="img" aria-label="Funnel"');
  });

  it('escapes labels typed by staff and shortens long ones', () => {
    const svg = funnelChartSvg([{ label: '<script>alert(1)</script> & "x"', count: 1, conversion: null }], 'A & B');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('aria-label="A &amp; B"');
    const long = funnelChartSvg([{ label: 'x'.repeat(50), count: 1, conversion: null }], 't');
    expect(long).toContain(`${'x'.repeat(39)}…`);
  });

  it('draws an empty cohort without dividing by zero', () => {
    const svg = funnelChartSvg([{ label: 'enrolled', count: 0, conversion: null }], 't');
    expect(widths(svg)).toEqual([0]);
    expect(svg).not.toContain('NaN');
  });
});
