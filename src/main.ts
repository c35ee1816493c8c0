import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, listenHost, loadConfig } from './config/app-config';
import { CourseFunnelModule } from './course-funnel.module';
import { configureHttpApp, setupOpenApi } from './http/http-app.setup';
import { FirstAdminTokenBootstrap } from './auth/first-admin-token.bootstrap';
import { createLogger, prepareStandaloneRuntime, readyBlock, trustProxySetting } from './standalone/standalone-runtime';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`course-funnel: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const runtime = await prepareStandaloneRuntime(config);
  const app = await NestFactory.create<NestExpressApplication>(CourseFunnelModule.forRoot(runtime.options), {
    logger,
    // The payment webhook's signature covers the exact bytes received.
    rawBody: true,
  });
  configureHttpApp(app, {
    bodyLimit: config.BODY_LIMIT,
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    publicBaseUrl: runtime.options.publicBaseUrl,
  });
  setupOpenApi(app, 'docs');
  const stopDatabase = (): void => void runtime.stop();
  process.once('exit', stopDatabase);
  await app.listen(config.PORT, listenHost(config.HOST, !runtime.options.mail.smtpUrl));
  const url = runtime.options.publicBaseUrl;
  const adminToken = app.get(FirstAdminTokenBootstrap).issued;
  if (config.LOG_FORMAT === 'json') {
    logger.log({ msg: 'ready', url, data: runtime.dataLine, mail: runtime.mailLine, adminToken }, 'Bootstrap');
  } else {
    process.stdout.write(`\n${readyBlock(url, runtime, adminToken)}`);
  }
  // The first signal shuts down cleanly; a second one (Ctrl-C again, or a wrapper passing its own
  // signal on) stops now, but still takes the embedded database down rather than orphaning it.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        void runtime.stop().finally(() => process.exit(1));
        return;
      }
      stopping = true;
      void app
        .close()
        .then(() => runtime.stop())
        .then(() => process.exit(0));
    });
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`course-funnel: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
