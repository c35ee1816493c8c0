import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { STAFF_ROLES, StaffRole } from './auth/access.decorators';
import { ApiTokensService } from './auth/api-tokens.service';
import { ConsoleSessionsService } from './auth/console-sessions.service';
import { ConfigError, loadConfig } from './config/app-config';
import { CourseFunnelModule } from './course-funnel.module';
import { prepareStandaloneRuntime } from './standalone/standalone-runtime';

const USAGE = `usage:
  npm run cli -- token create --role <${STAFF_ROLES.join('|')}> --name <name>
  npm run cli -- token list
  npm run cli -- token revoke --id <token id>
  npm run cli -- console-link [--id <token id>]   (a one-time console sign-in link; default: the first active admin)`;

class UsageError extends Error {}

function parse(argv: string[]): { command: string; role?: StaffRole; name?: string; id?: string } {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
  });
  const command = positionals.join(' ');
  if (command === 'token create') {
    if (!values.role || !(STAFF_ROLES as readonly string[]).includes(values.role)) {
      throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
    }
    if (!values.name?.trim()) throw new UsageError('--name is required');
    return { command, role: values.role as StaffRole, name: values.name };
  }
  if (command === 'token revoke') {
    if (!values.id) throw new UsageError('--id is required');
    return { command, id: values.id };
  }
  if (command === 'token list') return { command };
  if (command === 'console-link') return { command, ...(values.id ? { id: values.id } : {}) };
  throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
}

async function run(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const config = loadConfig(process.env);
  const runtime = await prepareStandaloneRuntime(config, { reuseRunning: true });
  // A one-off command: no scheduler ticks or outbox worker (the running server does that work).
  const options = { ...runtime.options, schedulerTickMs: 0, outbox: { ...runtime.options.outbox, tickMs: 0 } };
  const app = await NestFactory.createApplicationContext(CourseFunnelModule.forRoot(options), {
    logger: ['error'],
  });
  try {
    const tokens = app.get(ApiTokensService);
    if (args.command === 'token create') {
      const issued = await tokens.issue(args.role as StaffRole, args.name as string, 'cli');
      process.stdout.write(
        `created ${issued.record.role} token "${issued.record.name}" (id ${issued.record.id})\n` +
          `token (shown once, store it now): ${issued.token}\n`,
      );
    } else if (args.command === 'token list') {
      for (const t of await tokens.list()) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
        process.stdout.write(`${t.id}  ${t.role.padEnd(10)} ${t.displayPrefix}…  ${state}  ${t.name}\n`);
      }
    } else if (args.command === 'console-link') {
      const active = (await tokens.list()).filter((t) => !t.revokedAt);
      const token = args.id ? active.find((t) => t.id === args.id) : active.find((t) => t.role === 'admin');
      if (!token)
        throw new UsageError(
          args.id
            ? `no active token with id ${args.id}`
            : 'no active admin token: pass --id <token id> (npm run cli -- token list), or make one with token create --role admin',
        );
      const link = await app.get(ConsoleSessionsService).issueSignInLink(token.id);
      process.stdout.write(
        `console sign-in link for ${token.role} "${token.name}", usable once until ${link.expiresAt.toISOString()}:\n` +
          `${link.url}\n`,
      );
    } else {
      const revoked = await tokens.revoke(args.id as string);
      process.stdout.write(`revoked token ${revoked.id} (${revoked.name})\n`);
    }
  } finally {
    await app.close();
    await runtime.stop();
  }
}

run().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`course-funnel: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`course-funnel: ${message}\n`);
  process.exit(1);
});
