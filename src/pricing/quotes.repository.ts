import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Money } from '../common/money';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { Quote } from './quote.schema';

export interface QuoteRecord {
  id: string;
  enrollmentId: string;
  studentId: string;
  cohortId: string;
  courseName: string;
  tier: number;
  price: Money;
  listPrice: Money;
  qualifiedReferrals: number;
  createdAt: Date;
  expiresAt: Date;
}

type StoredQuote = Quote & { _id: Types.ObjectId };

const money = (m: Money): Money => ({ amount: m.amount, currency: m.currency });

function toRecord(doc: StoredQuote): QuoteRecord {
  return {
    id: doc._id.toHexString(),
    enrollmentId: doc.enrollmentId.toHexString(),
    studentId: doc.studentId.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    courseName: doc.courseName,
    tier: doc.tier,
    price: money(doc.price),
    listPrice: money(doc.listPrice),
    qualifiedReferrals: doc.qualifiedReferrals,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}

@Injectable()
export class QuotesRepository {
  constructor(@InjectModel(Quote.name, COURSE_FUNNEL_CONNECTION) private readonly quotes: Model<Quote>) {}

  async insert(quote: Omit<QuoteRecord, 'id'>): Promise<QuoteRecord> {
    const created = await this.quotes.create({
      ...quote,
      enrollmentId: new Types.ObjectId(quote.enrollmentId),
      studentId: new Types.ObjectId(quote.studentId),
      cohortId: new Types.ObjectId(quote.cohortId),
    });
    return toRecord(created.toObject());
  }

  async find(id: string): Promise<QuoteRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.quotes.findById(id).lean<StoredQuote>().exec();
    return doc ? toRecord(doc) : null;
  }
}
