import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** `templates/` at the package root, from both `src/` (tests) and `dist/` (build). */
export const TEMPLATES_DIR = resolve(__dirname, '..', '..', 'templates');

export function readTemplate(relativePath: string): string {
  return readFileSync(resolve(TEMPLATES_DIR, relativePath), 'utf8');
}
