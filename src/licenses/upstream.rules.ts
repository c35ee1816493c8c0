import { FunnelContent, LessonSpec } from '../funnels/funnel-content';

export type UpstreamChoice = 'upstream' | 'local';

/** One part of a clone the licensor changed since the clone's source version. */
export interface UpstreamChange {
  /** `name`, `offer`, `lessons.<key>` or `messages.<kind>.<locale>`. */
  item: string;
  /** The partner changed it too: taking the licensor's version discards their edit. */
  locallyChanged: boolean;
  /** What changed upstream: field names, or `added` / `removed` for whole lessons. */
  fields: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedFields<T extends object>(before: T, after: T): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof T>;
  return [...keys].filter((k) => !same(before[k], after[k])).map(String);
}

/**
 * What the licensor changed between the version a clone came from (`base`) and its latest
 * (`upstream`), item by item, each saying whether the partner changed it too (`local`).
 */
export function upstreamChanges(base: FunnelContent, upstream: FunnelContent, local: FunnelContent): UpstreamChange[] {
  const changes: UpstreamChange[] = [];
  if (base.name !== upstream.name)
    changes.push({ item: 'name', locallyChanged: base.name !== local.name, fields: ['name'] });
  if (!same(base.offer, upstream.offer)) {
    changes.push({
      item: 'offer',
      locallyChanged: !same(base.offer, local.offer),
      fields: changedFields(base.offer, upstream.offer),
    });
  }
  const byKey = (lessons: LessonSpec[]) => new Map(lessons.map((l) => [l.key, l]));
  const [b, u, l] = [byKey(base.lessons), byKey(upstream.lessons), byKey(local.lessons)];
  for (const key of new Set([...u.keys(), ...b.keys()])) {
    const before = b.get(key);
    const after = u.get(key);
    if (same(before, after)) continue;
    const fields = !before ? ['added'] : !after ? ['removed'] : changedFields(before, after);
    changes.push({ item: `lessons.${key}`, locallyChanged: !same(before, l.get(key)), fields });
  }
  return changes;
}

/** The items that still need a choice, as the fields of the request that must name them. */
export function missingChoices(changes: UpstreamChange[], choices: Record<string, UpstreamChoice>): string[] {
  return changes.filter((c) => !choices[c.item]).map((c) => `choices.${c.item}`);
}

/**
 * The clone's next content: its own, with each item the partner chose `upstream` taken from the
 * licensor's latest version (a lesson added upstream goes in after the lesson before it there; a
 * lesson removed upstream goes). Nothing changes that was not chosen.
 */
export function mergeUpstream(
  local: FunnelContent,
  upstream: FunnelContent,
  choices: Record<string, UpstreamChoice>,
): FunnelContent {
  const take = (item: string) => choices[item] === 'upstream';
  const lessons = [...local.lessons];
  upstream.lessons.forEach((lesson, i) => {
    if (!take(`lessons.${lesson.key}`)) return;
    const at = lessons.findIndex((l) => l.key === lesson.key);
    if (at >= 0) {
      lessons[at] = lesson;
      return;
    }
    const previous = i > 0 ? lessons.findIndex((l) => l.key === upstream.lessons[i - 1].key) : -1;
    lessons.splice(previous + 1, 0, lesson);
  });
  const upstreamKeys = new Set(upstream.lessons.map((l) => l.key));
  return {
    ...local,
    name: take('name') ? upstream.name : local.name,
    offer: take('offer') ? upstream.offer : local.offer,
    lessons: lessons.filter((l) => upstreamKeys.has(l.key) || !take(`lessons.${l.key}`)),
  };
}
