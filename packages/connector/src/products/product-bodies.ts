/**
 * The shapes of the product routes' JSON bodies, one zod schema each. A body of the wrong shape becomes the same
 * coded 400 the store gives for the same mistake, with a reason that names the field and what to send.
 *
 * `POST /products` is read here in full before anything is stored, so its errors come in the order the store checks:
 * `force_reregister`, `product_id`, `contact_email`, then `allowed_origins`. The rules themselves (`isValidProductId`,
 * `isValidContactEmail`) live in the store, which checks them again for callers that register without HTTP
 * (`registerProduct` of a running connector, `sightline dev`; docs/decisions/D-51-route-body-schemas.md).
 *
 * Privacy lists (`privacy` here, the whole body of `PUT /products/:id/privacy`) are not re-described: the one
 * validator of their shape and rules is `validatePrivacyInput` (extract/privacy-rules.ts), which also checks the lists
 * read back from storage; a second description here could drift from it.
 */
import { z } from 'zod';
import { createError } from '../errors.ts';
import { describeValue, isValidContactEmail, isValidProductId } from './product-store.ts';

const ORIGIN_EXAMPLE = 'https://app.example.com';

/**
 * `POST /products {product_id, contact_email, force_reregister?, allowed_origins?, privacy?}`; unknown fields are
 * allowed and dropped. Output: `force_reregister` as a boolean, a null `allowed_origins` as `[]` (it clears them, as
 * before), `privacy` as sent.
 */
export const registrationBodySchema = z.object(
  {
    force_reregister: z
      .boolean({ error: 'force_reregister must be true or false' })
      .nullish()
      .transform((value) => value === true),
    product_id: z.string().refine(isValidProductId),
    contact_email: z.string().refine(isValidContactEmail),
    allowed_origins: z
      .array(z.string({ error: `allowed_origins holds only origins as text, like ${ORIGIN_EXAMPLE}` }), {
        error: `allowed_origins must be an array of origins, like ["${ORIGIN_EXAMPLE}"]`,
      })
      .nullish()
      .transform((value) => (value === null ? [] : value)),
    privacy: z.unknown().optional(),
  },
  { error: 'expected a JSON object {product_id, contact_email, force_reregister?}' },
);

/** A `POST /products` body as the route uses it. */
export type RegistrationBody = z.output<typeof registrationBodySchema>;

/**
 * Reads a `POST /products` body (already parsed from JSON).
 *
 * @throws `SL_PRODUCT_ID_INVALID`, `SL_CONTACT_EMAIL_INVALID` (missing, of the wrong type, or refused), `SL_BODY_INVALID`
 *   (not an object, `force_reregister` not a boolean, `allowed_origins` not a list of text).
 * @example
 * parseRegistrationBody({ product_id: 'acme', contact_email: 'owner@acme.com' });
 * // → {force_reregister: false, product_id: 'acme', contact_email: 'owner@acme.com'}
 */
export function parseRegistrationBody(body: unknown): RegistrationBody {
  const result = registrationBodySchema.safeParse(body);
  if (result.success) return result.data;
  // zod lists issues in the schema's field order; the first is the one reported, as the store would.
  const issue = result.error.issues[0]!;
  const field = issue.path[0];
  // A field's issue means the body was an object; its codes quote what was sent there.
  if (field === 'product_id' || field === 'contact_email') {
    const value = describeValue((body as Record<string, unknown>)[field]);
    throw createError(field === 'product_id' ? 'SL_PRODUCT_ID_INVALID' : 'SL_CONTACT_EMAIL_INVALID', { value });
  }
  throw createError('SL_BODY_INVALID', { reason: issue.message });
}
