import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { StaffPrincipal } from './access.decorators';
import { hashApiToken } from './api-token.rules';
import { ApiTokensService } from './api-tokens.service';
import { ConsoleSessionRepository } from './console-session.repository';
import { CONSOLE_LINK_TTL_MS, CONSOLE_SESSION_TTL_MS, csrfTokenFor, newConsoleSecret } from './console-session.rules';

/** A new session: the cookie's secret (never stored) and when it ends. */
export interface ConsoleSignIn {
  secret: string;
  expiresAt: Date;
  staff: StaffPrincipal;
}

/** The staff member behind a console cookie, and the CSRF token their forms carry. */
export interface ConsoleSessionView {
  staff: StaffPrincipal;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Console sessions: a browser signs in with a staff API token (or a one-time link made for one)
 * and then acts as that token, with its role and organisation, until the session ends or the
 * token is revoked.
 */
@Injectable()
export class ConsoleSessionsService {
  constructor(
    private readonly sessions: ConsoleSessionRepository,
    private readonly tokens: ApiTokensService,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  /** Signs in with a staff API token; null when it is unknown or revoked. */
  async signInWithToken(apiToken: string): Promise<ConsoleSignIn | null> {
    const staff = await this.tokens.authenticate(apiToken.trim());
    return staff ? this.start(staff) : null;
  }

  /** A one-time sign-in link for this staff token, valid for CONSOLE_LINK_TTL_MS. */
  async issueSignInLink(staffTokenId: string, consolePath = '/console'): Promise<{ url: string; expiresAt: Date }> {
    const staff = await this.tokens.staffById(staffTokenId);
    if (!staff) throw new NotFoundError('api_token', staffTokenId);
    const secret = newConsoleSecret();
    const expiresAt = new Date(this.clock.now().getTime() + CONSOLE_LINK_TTL_MS);
    await this.sessions.insertLink(hashApiToken(secret), staff.tokenId, expiresAt);
    const url = new URL(`${this.options.publicBaseUrl}${consolePath}/sign-in/link`);
    url.searchParams.set('token', secret);
    return { url: url.toString(), expiresAt };
  }

  /** Who an unused link would sign in, without using it (the page before the button). */
  async describeSignInLink(secret: string): Promise<StaffPrincipal | null> {
    const tokenId = await this.sessions.findUsableLink(hashApiToken(secret), this.clock.now());
    return tokenId ? this.tokens.staffById(tokenId) : null;
  }

  /** Uses a sign-in link once; null when it is unknown, used or expired. */
  async signInWithLink(secret: string): Promise<ConsoleSignIn | null> {
    const tokenId = await this.sessions.useLink(hashApiToken(secret), this.clock.now());
    const staff = tokenId ? await this.tokens.staffById(tokenId) : null;
    return staff ? this.start(staff) : null;
  }

  /** The session of a cookie, while it lasts and its token is active. */
  async authenticate(secret: string): Promise<ConsoleSessionView | null> {
    const digest = hashApiToken(secret);
    const session = await this.sessions.findLiveSession(digest, this.clock.now());
    const staff = session ? await this.tokens.staffById(session.staffTokenId) : null;
    if (!session || !staff) return null;
    return { staff, csrfToken: csrfTokenFor(this.options.appSecret, digest), expiresAt: session.expiresAt };
  }

  async signOut(secret: string): Promise<void> {
    await this.sessions.deleteSession(hashApiToken(secret));
  }

  private async start(staff: StaffPrincipal): Promise<ConsoleSignIn> {
    const now = this.clock.now();
    await this.sessions.deleteExpired(staff.tokenId, now);
    const secret = newConsoleSecret();
    const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_TTL_MS);
    await this.sessions.insertSession(hashApiToken(secret), staff.tokenId, now, expiresAt);
    return { secret, expiresAt, staff };
  }
}
