import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './mongo-errors';

/**
 * Inserts a document whose unique key decides a race; false when it exists already. A unique
 * insert is atomic on MongoDB and FerretDB alike, which conditional updates are not on FerretDB,
 * so "who does this once" is always decided this way.
 */
export async function insertOnce<T>(model: Model<T>, doc: T): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
