import type { Model } from 'mongoose';
import { isDuplicateKeyError, retryTransient } from './mongo-errors';

/**
 * Inserts a document whose unique key decides a race; false when it exists already. A unique
 * insert is atomic on MongoDB and FerretDB alike, which conditional updates are not on FerretDB,
 * so "who does this once" is always decided this way. An insert that lost a deadlock to a racing
 * one (FerretDB 2 + DocumentDB) wrote nothing and is run again, to win or to meet the winner.
 */
export async function insertOnce<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await retryTransient(() => model.create(doc));
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
