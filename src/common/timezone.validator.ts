import { registerDecorator, ValidationOptions } from 'class-validator';

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

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an IANA time zone such as Asia/Shanghai`, ...options },
      validator: { validate: isIanaTimeZone },
    });
}
