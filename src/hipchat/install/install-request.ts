import { z } from 'zod';
import { storedIdSchema } from '../../shared/validate';

/** HipChat's oauthId: a 36-character UUID string (also the `iss` of every JWT it signs). */
export const oauthIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a 36-character UUID');


/**
 * What HipChat POSTs to callbackUrl / updateCallbackUrl, and what the browser flow's installable_url
 * serves. `roomId` is absent (or null) for a global installation.
 */
export const installRequestSchema = z.object(
  {
    oauthId: oauthIdSchema,
    oauthSecret: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(1000, 'is too long'),
    capabilitiesUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2000, 'is too long'),
    groupId: storedIdSchema,
    roomId: storedIdSchema.nullish(),
  },
  { error: 'must be a JSON object' },
);

export type InstallRequest = z.infer<typeof installRequestSchema>;
