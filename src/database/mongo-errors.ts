/** MongoDB (and FerretDB) report unique-index violations with code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}
