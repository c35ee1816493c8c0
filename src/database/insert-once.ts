import { mongo } from 'mongoose';
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

/**
 * Inserts documents unordered, each under its own unique key; one that exists already (a retried
 * write) stays as it is. Any other failure is thrown.
 */
export async function insertManyOnce<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  docs: T[],
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await retryTransient(() => collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false }));
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    if (!([] as mongo.WriteError[]).concat(error.writeErrors).every(isDuplicateKeyError)) throw error;
  }
}
