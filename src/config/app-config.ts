import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

const isProduction = (env: EnvironmentVariables): boolean => env.NODE_ENV === 'production';
/** Required in production; in development an embedded default stands in when unset. */
const requiredInProduction = (env: EnvironmentVariables, value: unknown): boolean =>
  isProduction(env) || value !== undefined;
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * Every environment variable the standalone server reads, with its rule and default. The only
 * place in the codebase that looks at `process.env`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @Min(1)
  @Max(65535)
  @IsInt({ message: 'PORT must be an integer' })
  PORT = 3000;

  /**
   * Interface to listen on. Unset: every interface, except while mail is written to files (no
   * SMTP_URL): then loopback only, since the dev mailbox shows every student's mail.
   */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.HOST !== undefined)
  @IsString()
  HOST?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => requiredInProduction(env, env.MONGODB_URI))
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => requiredInProduction(env, env.SMTP_URL))
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Matches(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'MAIL_FROM must be an address or "Name <address>"',
  })
  MAIL_FROM = 'Course Funnel <no-reply@localhost>';

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => requiredInProduction(env, env.PUBLIC_BASE_URL))
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'PUBLIC_BASE_URL must be an http(s) URL' },
  )
  PUBLIC_BASE_URL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => requiredInProduction(env, env.APP_SECRET))
  @MinLength(32, { message: 'APP_SECRET must be at least 32 characters' })
  @IsString()
  APP_SECRET?: string;

  @IsString()
  DATA_DIR = './var';

  /** With it, payments are confirmed by a provider's signed calls to /api/payments/webhook. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.PAYMENT_WEBHOOK_SECRET !== undefined)
  @MinLength(32, { message: 'PAYMENT_WEBHOOK_SECRET must be at least 32 characters' })
  @IsString()
  PAYMENT_WEBHOOK_SECRET?: string;

  /** The provider's checkout page; `{orderId}` and `{amount}` are filled in. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.PAYMENT_CHECKOUT_URL !== undefined)
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: false },
    { message: 'PAYMENT_CHECKOUT_URL must be an http(s) URL' },
  )
  PAYMENT_CHECKOUT_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => env.LOG_FORMAT !== undefined)
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'log';

  @Type(() => Number)
  @Min(1)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer' })
  RATE_LIMIT_PER_MINUTE = 120;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '100kb';

  @Matches(/^(true|false|\d+)$/, { message: 'TRUST_PROXY must be true, false or a number of proxy hops' })
  TRUST_PROXY = 'false';

  @Type(() => Number)
  @Min(1)
  @Max(365)
  @IsInt({ message: 'STUDENT_LINK_TTL_DAYS must be an integer' })
  STUDENT_LINK_TTL_DAYS = 30;
}

export type AppConfig = EnvironmentVariables & { LOG_FORMAT: 'json' | 'pretty' };

export class ConfigError extends Error {}

/** Values that may hold credentials and are never echoed in an error. */
const SECRET_VARIABLES = new Set(['APP_SECRET', 'MONGODB_URI', 'SMTP_URL', 'PAYMENT_WEBHOOK_SECRET']);

const PRODUCTION_REQUIRED = new Set(['MONGODB_URI', 'SMTP_URL', 'PUBLIC_BASE_URL', 'APP_SECRET']);

export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'MONGODB_URI',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'APP_SECRET',
  'DATA_DIR',
  'PAYMENT_WEBHOOK_SECRET',
  'PAYMENT_CHECKOUT_URL',
  'LOG_FORMAT',
  'LOG_LEVEL',
  'RATE_LIMIT_PER_MINUTE',
  'BODY_LIMIT',
  'TRUST_PROXY',
  'STUDENT_LINK_TTL_DAYS',
] as const satisfies readonly (keyof EnvironmentVariables)[];

/**
 * Reads and validates the environment once. Throws a ConfigError whose message is one line
 * naming the first bad variable (secret values are never echoed).
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const relevant: Record<string, string> = {};
  for (const key of CONFIG_VARIABLES) {
    const value = env[key];
    if (value !== undefined) relevant[key] = value;
  }
  const config = plainToInstance(EnvironmentVariables, relevant, { exposeDefaultValues: true });
  const first = validateSync(config, { stopAtFirstError: true })[0];
  if (first) {
    const message = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    const given = relevant[first.property];
    const hint =
      (given === undefined || given === '') && PRODUCTION_REQUIRED.has(first.property)
        ? ' (required when NODE_ENV=production)'
        : SECRET_VARIABLES.has(first.property)
          ? ''
          : ` (got ${JSON.stringify(given)})`;
    throw new ConfigError(`invalid configuration: ${first.property}: ${message}${hint}`);
  }
  return { ...config, LOG_FORMAT: config.LOG_FORMAT ?? (isProduction(config) ? 'json' : 'pretty') };
}

/** Where the server listens: HOST, or by default all interfaces, or loopback while mail goes to files. */
export function listenHost(host: string | undefined, mailToFiles: boolean): string {
  return host ?? (mailToFiles ? '127.0.0.1' : '0.0.0.0');
}
