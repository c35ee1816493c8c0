/**
 * A platform's rate limit as one post per slot: with slots of windowMs / (limit - 1), any window
 * of `windowMs` touches at most `limit` slots, however it falls against the slot boundaries
 * (WeCom's 20 a minute: a slot every 3,158 ms). A limit of one per window gets one slot a window.
 */
export function slotLengthMs(rate: { limit: number; windowMs: number }): number {
  return rate.limit > 1 ? Math.ceil(rate.windowMs / (rate.limit - 1)) : rate.windowMs;
}

export function slotAt(now: Date, slotMs: number): number {
  return Math.floor(now.getTime() / slotMs);
}

/** When a post that lost slot `slot` may try again: the next slot's start, later for those behind it in line. */
export function nextTryAt(slot: number, slotMs: number, placeInLine: number): Date {
  return new Date((slot + 1 + placeInLine) * slotMs);
}

/** Most posts a pacing allows in any window of `windowMs` (what the spec checks against the platform's limit). */
export function mostPostsInWindow(slotMs: number, windowMs: number): number {
  return Math.ceil(windowMs / slotMs) + (windowMs % slotMs === 0 ? 0 : 1);
}
