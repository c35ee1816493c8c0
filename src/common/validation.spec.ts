import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsString, ValidateNested, validateSync } from 'class-validator';
import { flattenValidationErrors, nestsDeeperThan } from './validation';
import { isIanaTimeZone } from '../schedule/timezone.validator';

class Address {
  @IsString()
  city!: string;
}

class Person {
  @IsEmail()
  email!: string;

  @ValidateNested()
  @Type(() => Address)
  address!: Address;
}

describe('validation error flattening', () => {
  it('names nested fields with a dotted path', () => {
    const person = plainToInstance(Person, { email: 'nope', address: { city: 7 } });
    expect(flattenValidationErrors(validateSync(person))).toEqual([
      { field: 'email', errors: ['email must be an email'] },
      { field: 'address.city', errors: ['city must be a string'] },
    ]);
  });
});

describe('IANA time zones', () => {
  it.each(['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });
  it.each(['Mars/Olympus', '', 'Asia/Shanghai; drop', 42, null])('refuses %p', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});

describe('nesting limit', () => {
  const nested = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
    return value;
  };

  it('allows nesting up to the limit and refuses one level more', () => {
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
  });

  it('checks 100,000 levels without recursion', () => {
    expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
  });

  it('counts depth, not size: wide input is fine', () => {
    const wide = { items: Array.from({ length: 10_000 }, (_, i) => ({ i, tags: ['x'] })) };
    expect(nestsDeeperThan(wide, 32)).toBe(false);
  });
});
