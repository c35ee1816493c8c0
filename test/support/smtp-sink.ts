import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { OutboxWorker } from '../../src/outbox/outbox.worker';
import { FanoutScheduler } from '../../src/fanout/fanout.scheduler';
import { createTestApp, TestApp, TestAppOptions } from './create-test-app';

/**
 * A real SMTP server inside the test process: it receives what the app sends over the wire and
 * parses it, so tests check delivered subjects, parts, links and headers. `failing` makes it refuse
 * mail with a temporary error, as a server that is down for a while would.
 */
export class SmtpSink {
  readonly received: ParsedMail[] = [];
  failing = false;
  /** How long the server takes to accept each message (a slow SMTP relay). */
  delayMs = 0;
  /** How many messages `hold` is holding right now. */
  held = 0;
  private gate: Promise<void> | null = null;
  private server: SMTPServer | null = null;
  private port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onMailFrom: (_address, _session, callback) => {
        if (this.failing) {
          const error = Object.assign(new Error('Service not available, try again later'), { responseCode: 421 });
          return callback(error);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            if (this.gate) {
              this.held++;
              await this.gate;
              this.held--;
            }
            this.received.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /**
   * Holds every message in the middle of its SMTP transaction until the returned function is
   * called: senders stay busy with what they have, so a test can line up what happens meanwhile.
   */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((m) => [m.to].flat().some((a) => a?.text.includes(address)));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A test app whose mail goes over SMTP to a sink in the test process; `close` stops both. */
export async function createMailTestApp(
  opts: TestAppOptions = {},
): Promise<{ t: TestApp; sink: SmtpSink; close: () => Promise<void> }> {
  const sink = await new SmtpSink().start();
  const t = await createTestApp({
    ...opts,
    overrides: { ...opts.overrides, mail: { from: 'School <hello@school.example>', smtpUrl: sink.url } },
  });
  return {
    t,
    sink,
    close: async () => {
      await t.close();
      await sink.stop();
    },
  };
}

/** One scheduler tick and a full outbox drain, as the timers would do. */
export async function releaseAndSend(t: TestApp): Promise<void> {
  await t.app.get(FanoutScheduler).tick();
  await t.app.get(OutboxWorker).drainAll();
}
