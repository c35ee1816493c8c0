import { registerDecorator, ValidationOptions } from 'class-validator';

/** A class-validator property decorator from a plain predicate and a message naming the property. */
export function defineValidator(
  name: string,
  validate: (value: unknown) => boolean,
  message: (property: string) => string,
) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message: message(String(propertyName)), ...options },
        validator: { validate },
      });
}
