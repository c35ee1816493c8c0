/** Fixed-window counting: which window an instant falls in, and when that window ends. */
export function fixedWindow(nowMs: number, windowMs: number): { startMs: number; endMs: number } {
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return { startMs, endMs: startMs + windowMs };
}

export function secondsUntil(endMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((endMs - nowMs) / 1000));
}

/**
 * A slot of 1..`limit` that none of `taken` holds, chosen at random so that hits racing for a
 * window spread over its free slots instead of all trying the same next one (N racers would take
 * N rounds, each a pile-up on one unique key: on FerretDB 2 those end in deadlocks). Null when
 * every slot is taken.
 */
export function freeSlot(taken: Iterable<number>, limit: number, random: () => number = Math.random): number | null {
  const held = new Set(taken);
  const free: number[] = [];
  for (let slot = 1; slot <= limit; slot++) if (!held.has(slot)) free.push(slot);
  return free.length === 0 ? null : free[Math.floor(random() * free.length)];
}
