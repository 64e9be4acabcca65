import { z } from 'zod';

/**
 * The field names a strict object accepts at `path`, found by walking the schema with the
 * document beside it (to pick a discriminated union's branch). zod's "unrecognized keys"
 * issue lacks them, and an error that lists what is valid saves a trip to the docs.
 */
export function keysAt(
  schema: z.ZodTypeAny,
  path: readonly (string | number)[],
  data: unknown,
): string[] {
  let current: z.ZodTypeAny | undefined = schema;
  let value = data;
  for (const step of [...path, undefined]) {
    current = unwrap(current, value);
    if (!current) return [];
    if (step === undefined) break;
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[step]
        : undefined;
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.ZodTypeAny>)[step];
    else if (current instanceof z.ZodRecord) current = current.valueSchema as z.ZodTypeAny;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodTypeAny;
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape as object) : [];
}

function unwrap(schema: z.ZodTypeAny | undefined, value: unknown): z.ZodTypeAny | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (current instanceof z.ZodEffects) current = current.innerType() as z.ZodTypeAny;
    else if (current instanceof z.ZodDefault) current = current.removeDefault() as z.ZodTypeAny;
    else if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodTypeAny;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      const union = current as z.ZodDiscriminatedUnion<string, z.ZodObject<z.ZodRawShape>[]>;
      const tag =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[union.discriminator]
          : undefined;
      current = union.optionsMap.get(tag as z.Primitive);
    } else return current;
  }
  return current;
}
