import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { CourseFunnelOptions } from '../config/course-funnel.options';
import {
  EmbeddedDatabase,
  findRunningEmbeddedDatabase,
  recordEmbeddedDatabase,
  startEmbeddedDatabase,
} from '../database/embedded-database';

/** What the standalone server (or CLI) runs with, and how to release it. */
export interface StandaloneRuntime {
  options: CourseFunnelOptions;
  /** Where data go, and where mail goes: for the start-up log. */
  dataLine: string;
  mailLine: string;
  /** The .eml folder as the start-up log shows it (./var/mail); null when mail goes through SMTP. */
  mailDir: string | null;
  stop(): Promise<void>;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's start-up chatter (a line per module and per route): shown at LOG_LEVEL=debug only. */
const START_UP_CHATTER = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** The console logger, with Nest's start-up chatter moved down to debug. */
export class CourseFunnelLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && START_UP_CHATTER.has(context)) this.debug(message, ...rest);
    else super.log(message, ...rest);
  }
}

export function createLogger(config: AppConfig): LoggerService {
  const upTo = LEVELS.indexOf(config.LOG_LEVEL);
  return new CourseFunnelLogger({
    prefix: 'course-funnel',
    json: config.LOG_FORMAT === 'json',
    // One line per entry, also in the human-readable format.
    compact: true,
    breakLength: Infinity,
    logLevels: LEVELS.slice(0, upTo + 1),
  });
}

/** Development only: a random secret kept under the data dir, so links survive restarts. */
async function developmentSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'app-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, secret + '\n', { mode: 0o600 });
    return secret;
  }
}

/**
 * What a newcomer needs once the server is up, printed last: where it is, where data and mail go,
 * and on the first start the admin token with how to make more.
 */
export function readyBlock(
  url: string,
  runtime: Pick<StandaloneRuntime, 'dataLine' | 'mailLine'>,
  adminToken: string | null,
): string {
  const lines = [
    `course-funnel is ready: ${url}`,
    `  staff console: ${url}/console (sign in with a staff token, or npm run cli -- console-link)`,
    `  API docs: ${url}/docs`,
    `  ${runtime.dataLine}`,
    `  ${runtime.mailLine}`,
  ];
  if (adminToken) {
    lines.push(
      `  admin API token (shown once, store it now): ${adminToken}`,
      '  more tokens: npm run cli -- token create --role instructor --name "Ms Li"',
    );
  }
  return lines.join('\n') + '\n';
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? `./${rel}` : path;
}

/**
 * Fills what the environment leaves out with embedded defaults: a MongoDB-compatible server
 * whose data persists under DATA_DIR, .eml files instead of SMTP, a generated secret.
 * `reuseRunning` lets the CLI talk to the database of a running development server.
 */
export async function prepareStandaloneRuntime(
  config: AppConfig,
  { reuseRunning = false }: { reuseRunning?: boolean } = {},
): Promise<StandaloneRuntime> {
  const dataDir = resolve(config.DATA_DIR);
  await mkdir(dataDir, { recursive: true });

  let embedded: EmbeddedDatabase | null = null;
  let mongodbUri = config.MONGODB_URI;
  let dataLine = 'data in MongoDB at MONGODB_URI';
  if (!mongodbUri) {
    const running = reuseRunning ? await findRunningEmbeddedDatabase(join(dataDir, 'db')) : null;
    if (running) {
      mongodbUri = running;
      dataLine = `data in the running server's embedded database (${running})`;
    } else {
      embedded = await startEmbeddedDatabase(join(dataDir, 'db'), true);
      mongodbUri = embedded.uri;
      dataLine = `data in embedded ${embedded.description.replaceAll(dataDir, shown(dataDir))}`;
      if (!reuseRunning) await recordEmbeddedDatabase(join(dataDir, 'db'), embedded.uri);
    }
  }

  const mailDir = join(dataDir, 'mail');
  const mailLine = config.SMTP_URL
    ? `mail via SMTP (${new URL(config.SMTP_URL).host})`
    : `mail as .eml files in ${shown(mailDir)} (see /dev/mailbox)`;

  return {
    options: {
      mongodbUri,
      appSecret: config.APP_SECRET ?? (await developmentSecret(dataDir)),
      publicBaseUrl: config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`,
      mail: config.SMTP_URL
        ? { from: config.MAIL_FROM, smtpUrl: config.SMTP_URL }
        : { from: config.MAIL_FROM, mailDir },
      publicRateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      studentLinkTtlSeconds: config.STUDENT_LINK_TTL_DAYS * 24 * 3600,
      bootstrapAdminToken: reuseRunning ? false : 'quiet',
      payments: {
        ...(config.PAYMENT_WEBHOOK_SECRET ? { webhookSecret: config.PAYMENT_WEBHOOK_SECRET } : {}),
        ...(config.PAYMENT_CHECKOUT_URL ? { checkoutUrl: config.PAYMENT_CHECKOUT_URL } : {}),
      },
    },
    dataLine,
    mailLine,
    mailDir: config.SMTP_URL ? null : shown(mailDir),
    stop: async () => {
      await embedded?.stop();
    },
  };
}

export function trustProxySetting(value: string): boolean | number {
  return value === 'true' ? true : value === 'false' ? false : Number(value);
}
