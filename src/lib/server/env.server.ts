// Server configuration from the environment, parsed once with zod. Bad values stop the server
// with a message naming the variable.
import { z } from 'zod';

const EnvSchema = z.object({
  /** When set, mail is also sent through this SMTP server (e.g. smtp://user:pass@host:587). */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional(),
  /** The From address of mail the site sends. */
  MAIL_FROM: z.string().min(3).default('Headroom <no-reply@headroom.local>'),
});

export type Env = z.infer<typeof EnvSchema>;

let parsed: Env | undefined;

export function env(): Env {
  if (!parsed) {
    const result = EnvSchema.safeParse({
      SMTP_URL: process.env['SMTP_URL'] || undefined,
      MAIL_FROM: process.env['MAIL_FROM'] || undefined,
    });
    if (!result.success) throw new Error(result.error.issues.map((i) => i.message).join('; '));
    parsed = result.data;
  }
  return parsed;
}
