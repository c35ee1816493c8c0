import { FunnelContent } from './funnel-content';

/** One difference between two versions: a field's path, and its text before and after (null: absent). */
export interface FunnelChange {
  path: string;
  before: string | null;
  after: string | null;
}

/** Flattens content to `path -> text` (lessons by key, so reordering reads as moves, not rewrites). */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const key =
        item && typeof item === 'object' && 'key' in item ? String((item as { key: unknown }).key) : String(i);
      flatten(item, `${path}[${key}]`, into);
    });
    return;
  }
  if (value instanceof Date) {
    into.set(path, value.toISOString());
    return;
  }
  if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, into);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    into.set(path, String(value));
}

/**
 * What changed from one version of a funnel to the next, field by field, in the order the fields
 * appear (the newer version's first, then what it dropped). Lessons are matched by key.
 */
export function funnelChanges(before: FunnelContent, after: FunnelContent): FunnelChange[] {
  const pick = ({ name, defaultLocale, lessons, offer }: FunnelContent) => ({ name, defaultLocale, lessons, offer });
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(pick(before), '', a);
  flatten(pick(after), '', b);
  const changes: FunnelChange[] = [];
  for (const [path, text] of b)
    if (a.get(path) !== text) changes.push({ path, before: a.get(path) ?? null, after: text });
  for (const [path, text] of a) if (!b.has(path)) changes.push({ path, before: text, after: null });
  return changes;
}
