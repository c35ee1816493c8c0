import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { LinkClaims, LinkVerification, signLink, verifyLink } from './signed-link.rules';

export interface SignedLink {
  url: string;
  token: string;
  expiresAt: Date;
}

/** Issues and checks the signed, expiring links through which students act (they hold no password). */
@Injectable()
export class SignedLinksService {
  constructor(
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
    private readonly clock: Clock,
  ) {}

  issue(
    studentId: string,
    path: string,
    scope = 'student',
    ttlSeconds = this.options.studentLinkTtlSeconds,
  ): SignedLink {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + ttlSeconds;
    const claims: LinkClaims = { sub: studentId, scope, exp };
    const token = signLink(claims, this.options.appSecret);
    const url = new URL(this.options.publicBaseUrl + path);
    url.searchParams.set('token', token);
    return { url: url.toString(), token, expiresAt: new Date(exp * 1000) };
  }

  verify(token: string): LinkVerification {
    return verifyLink(token, this.options.appSecret, this.clock.now());
  }
}
