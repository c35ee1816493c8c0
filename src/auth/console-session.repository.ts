import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { ConsoleSession, ConsoleSignInLink } from './console-session.schema';

export interface ConsoleSessionRecord {
  id: string;
  staffTokenId: string;
  expiresAt: Date;
}

/** Console sessions and one-time sign-in links, stored by the digest of their secret. */
@Injectable()
export class ConsoleSessionRepository {
  constructor(
    @InjectModel(ConsoleSession.name, COURSE_FUNNEL_CONNECTION) private readonly sessions: Model<ConsoleSession>,
    @InjectModel(ConsoleSignInLink.name, COURSE_FUNNEL_CONNECTION) private readonly links: Model<ConsoleSignInLink>,
  ) {}

  async insertSession(digest: string, staffTokenId: string, createdAt: Date, expiresAt: Date): Promise<void> {
    await this.sessions.create({ digest, staffTokenId: new Types.ObjectId(staffTokenId), createdAt, expiresAt });
  }

  /** The session of this digest while it lasts. */
  async findLiveSession(digest: string, now: Date): Promise<ConsoleSessionRecord | null> {
    const doc = await this.sessions
      .findOne({ digest, expiresAt: trusted({ $gt: now }) })
      .lean()
      .exec();
    return doc
      ? { id: doc._id.toHexString(), staffTokenId: doc.staffTokenId.toHexString(), expiresAt: doc.expiresAt }
      : null;
  }

  async deleteSession(digest: string): Promise<void> {
    await this.sessions.deleteOne({ digest }).exec();
  }

  /** Drops the token's expired sessions (no TTL index: not every engine here runs them). */
  async deleteExpired(staffTokenId: string, now: Date): Promise<void> {
    await this.sessions
      .deleteMany({ staffTokenId: new Types.ObjectId(staffTokenId), expiresAt: trusted({ $lte: now }) })
      .exec();
  }

  async insertLink(digest: string, staffTokenId: string, expiresAt: Date): Promise<void> {
    await this.links.create({ digest, staffTokenId: new Types.ObjectId(staffTokenId), expiresAt });
  }

  /** The staff token of a link still unused and unexpired, without using it. */
  async findUsableLink(digest: string, now: Date): Promise<string | null> {
    const doc = await this.links
      .findOne({ digest, usedAt: null, expiresAt: trusted({ $gt: now }) })
      .lean()
      .exec();
    return doc ? doc.staffTokenId.toHexString() : null;
  }

  /** Marks the link used and returns its staff token: for exactly one caller, however many race. */
  async useLink(digest: string, now: Date): Promise<string | null> {
    const doc = await this.links
      .findOneAndUpdate(
        { digest, usedAt: null, expiresAt: trusted({ $gt: now }) },
        { $set: { usedAt: now } },
        { new: true },
      )
      .lean()
      .exec();
    return doc ? doc.staffTokenId.toHexString() : null;
  }
}
