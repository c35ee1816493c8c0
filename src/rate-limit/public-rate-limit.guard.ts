import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModuleOptions } from '@nestjs/throttler';
import { ACCESS_RULE, AccessRule } from '../auth/access.decorators';
import { MongoThrottlerStorage } from './mongo-throttler.storage';

/**
 * Our own token rather than ThrottlerModule: that module is global and would clash with a host
 * application's own throttler configuration.
 */
export const PUBLIC_THROTTLER_OPTIONS = Symbol('PUBLIC_THROTTLER_OPTIONS');

/**
 * Rate-limits public and student-link routes by client IP. Staff routes are skipped: they
 * need a 256-bit token, so there is nothing to guess, and staff tools may call in bulk.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  constructor(
    @Inject(PUBLIC_THROTTLER_OPTIONS) options: ThrottlerModuleOptions,
    // Explicit: the base class's own @InjectThrottlerStorage() metadata would otherwise win.
    @Inject(MongoThrottlerStorage) storage: MongoThrottlerStorage,
    reflector: Reflector,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return Promise.resolve(rule?.kind === 'staff');
  }
}
