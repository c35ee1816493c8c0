/** Fixed-window counting: which window an instant falls in, and when that window ends. */
export function fixedWindow(nowMs: number, windowMs: number): { startMs: number; endMs: number } {
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  return { startMs, endMs: startMs + windowMs };
}

export function secondsUntil(endMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((endMs - nowMs) / 1000));
}
