import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { StaffPrincipal, StaffRole } from './access.decorators';
import { ApiTokenRecord, ApiTokenRepository } from './api-token.repository';
import { generateApiToken, hashApiToken, looksLikeApiToken, tokenDisplayPrefix } from './api-token.rules';

export interface IssuedApiToken {
  /** The bearer token. Shown once; only its digest is stored. */
  token: string;
  record: ApiTokenRecord;
}

function principalOf(record: ApiTokenRecord): StaffPrincipal {
  return {
    kind: 'staff',
    tokenId: record.id,
    role: record.role,
    name: record.name,
    organizationId: record.organizationId ?? null,
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly clock: Clock,
  ) {}

  async issue(role: StaffRole, name: string, createdBy?: string, organizationId?: string): Promise<IssuedApiToken> {
    const token = generateApiToken();
    const record = await this.tokens.insert({
      name: name.trim(),
      role,
      tokenHash: hashApiToken(token),
      displayPrefix: tokenDisplayPrefix(token),
      createdAt: this.clock.now(),
      ...(createdBy ? { createdBy } : {}),
      ...(organizationId ? { organizationId } : {}),
    });
    return { token, record };
  }

  /** The staff member behind a bearer token, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<StaffPrincipal | null> {
    if (!looksLikeApiToken(token)) return null;
    const record = await this.tokens.findActiveByHash(hashApiToken(token));
    return record ? principalOf(record) : null;
  }

  /** The staff member of an active token by its id (a console session acts as its token). */
  async staffById(id: string): Promise<StaffPrincipal | null> {
    const [record] = await this.tokens.findActiveByIds([id]);
    return record ? principalOf(record) : null;
  }

  /** The tokens of these ids that exist and are not revoked. */
  active(ids: string[]): Promise<ApiTokenRecord[]> {
    return this.tokens.findActiveByIds(ids);
  }

  list(): Promise<ApiTokenRecord[]> {
    return this.tokens.list();
  }

  async revoke(id: string): Promise<ApiTokenRecord> {
    const record = await this.tokens.revoke(id, this.clock.now());
    if (!record) throw new NotFoundError('api_token', id);
    return record;
  }

  /**
   * Issues the first admin token when none exists. Several instances may start at once:
   * only the one that claims the marker issues it. Otherwise says whether an admin token exists.
   */
  async issueFirstAdminToken(): Promise<IssuedApiToken | 'admin-exists' | 'no-admin'> {
    if (await this.tokens.hasActiveToken('admin')) return 'admin-exists';
    // The marker stays after the first issue: a later start never prints a second token by itself.
    if (!(await this.tokens.claimMarker('first-admin-token', this.clock.now()))) return 'no-admin';
    return this.issue('admin', 'first admin (printed at start-up)');
  }
}
