/** One bar of the funnel chart: a step's label, its count and its conversion from the step before. */
export interface ChartStep {
  label: string;
  count: number;
  /** count / previous count (0-1); null for the first step or after an empty one. */
  conversion: number | null;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const percent = (ratio: number | null): string => (ratio === null ? '' : `${Math.round(ratio * 1000) / 10}%`);

/**
 * The funnel as a server-rendered SVG: a horizontal bar per step, as wide as its share of the first
 * step, with the count and the conversion from the step before. No script, no library; labels are
 * escaped (lesson titles are typed by staff). The table beside it carries the same figures for
 * screen readers, so the picture is described by a title only.
 */
export function funnelChartSvg(steps: readonly ChartStep[], title: string): string {
  // Each step is a label above its bar: narrow enough to stay legible on a 390 px phone.
  const rowHeight = 42;
  const barWidth = 360;
  const width = barWidth + 90;
  const height = steps.length * rowHeight + 6;
  const top = Math.max(1, ...steps.map((s) => s.count));
  const bars = steps.map((step, i) => {
    const y = 4 + i * rowHeight;
    const w = step.count === 0 ? 0 : Math.max(2, Math.round((step.count / top) * barWidth));
    const label = step.label.length > 40 ? `${step.label.slice(0, 39)}…` : step.label;
    const figure = `${step.count}${step.conversion === null ? '' : ` · ${percent(step.conversion)}`}`;
    return (
      `<g><text x="0" y="${y + 13}">${escapeXml(label)}</text>` +
      `<rect x="0" y="${y + 18}" width="${w}" height="16" rx="3" fill="#2f7d57"/>` +
      `<text x="${w + 6}" y="${y + 31}">${escapeXml(figure)}</text></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" ` +
    `font-family="sans-serif" font-size="13" fill="#1f2328"><title>${escapeXml(title)}</title>${bars.join('')}</svg>`
  );
}
