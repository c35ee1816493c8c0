import { Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicRoute } from '../auth/access.decorators';
import { NotFoundError } from '../common/domain-error';
import { TEMPLATES_DIR } from '../common/template-files';
import { ConsoleController } from './console-controller.decorator';

/** The console's two static files, served from here: no CDN, nothing fetched from the internet. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'console.css': { file: () => join(TEMPLATES_DIR, 'console', 'assets', 'console.css'), type: 'text/css' },
  'htmx.min.js': { file: () => require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript' },
};

@ConsoleController('console/assets')
export class ConsoleAssetsController {
  private readonly cache = new Map<string, Buffer>();

  @Get(':name')
  @PublicRoute()
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundError('asset', name);
    let body = this.cache.get(name);
    if (!body) {
      body = readFileSync(asset.file());
      this.cache.set(name, body);
    }
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type(asset.type).send(body);
  }
}
