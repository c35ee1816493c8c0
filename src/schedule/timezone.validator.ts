import { defineValidator } from '../common/define-validator';

/** True for names the runtime's tz database knows (e.g. `Asia/Shanghai`, `Europe/Berlin`, `UTC`). */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const IsIanaTimeZone = defineValidator(
  'isIanaTimeZone',
  isIanaTimeZone,
  (p) => `${p} must be an IANA time zone such as Asia/Shanghai`,
);
