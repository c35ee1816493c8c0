/**
 * Territories are hierarchical codes, country / province / city, e.g. `CN`, `CN/44`, `CN/44/4403`.
 * A territory contains itself and everything below it.
 */
export const TERRITORY_PATTERN = /^[A-Z0-9]{1,10}(\/[A-Z0-9]{1,10}){0,3}$/;

export function territoryContains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Two territories overlap when one contains the other. */
export function territoriesOverlap(a: string, b: string): boolean {
  return territoryContains(a, b) || territoryContains(b, a);
}
