import { plainToInstance, Type } from 'class-transformer';
import { IsEmail, IsString, ValidateNested, validateSync } from 'class-validator';
import { flattenValidationErrors } from './validation';
import { isIanaTimeZone } from './timezone.validator';

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
