import { LogLevel } from '@nestjs/common';
import { CourseFunnelLogger, readyBlock } from './standalone-runtime';

function printed(levels: LogLevel[], write: (logger: CourseFunnelLogger) => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    write(new CourseFunnelLogger({ logLevels: levels, colors: false }));
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
}

describe('CourseFunnelLogger', () => {
  const boot = (logger: CourseFunnelLogger) => {
    logger.log('Mapped {/api/cohorts, GET} route', 'RouterExplorer');
    logger.log('CohortsModule dependencies initialized', 'InstanceLoader');
    logger.log('listening on http://localhost:3000', 'Bootstrap');
  };

  it('leaves Nest start-up chatter out at the default level, and keeps its own lines', () => {
    const out = printed(['fatal', 'error', 'warn', 'log'], boot);
    expect(out).toContain('listening on http://localhost:3000');
    expect(out).not.toContain('Mapped {/api/cohorts, GET} route');
    expect(out).not.toContain('CohortsModule dependencies initialized');
  });

  it('shows the chatter, as debug, at LOG_LEVEL=debug', () => {
    const out = printed(['fatal', 'error', 'warn', 'log', 'debug'], boot);
    expect(out).toMatch(/DEBUG.*Mapped \{\/api\/cohorts, GET\} route/);
    expect(out).toContain('CohortsModule dependencies initialized');
  });
});

describe('readyBlock', () => {
  const runtime = { dataLine: 'data in embedded FerretDB in ./var/db', mailLine: 'mail as .eml files in ./var/mail' };

  it('says where the server, its docs, data and mail are', () => {
    expect(readyBlock('http://localhost:3000', runtime, null).split('\n')).toEqual([
      'course-funnel is ready: http://localhost:3000',
      '  staff console: http://localhost:3000/console (sign in with a staff token, or npm run cli -- console-link)',
      '  API docs: http://localhost:3000/docs',
      '  data in embedded FerretDB in ./var/db',
      '  mail as .eml files in ./var/mail',
      '',
    ]);
  });

  it('ends with the first admin token and how to make more, on the first start only', () => {
    const block = readyBlock('http://localhost:3000', runtime, 'cf_abc');
    expect(block).toContain('  admin API token (shown once, store it now): cf_abc\n');
    expect(block.trimEnd().split('\n').pop()).toBe(
      '  more tokens: npm run cli -- token create --role instructor --name "Ms Li"',
    );
  });
});
