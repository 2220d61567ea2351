// The account forms' fields, validated with zod; errors are keyed by field for display beside it.
import { z } from 'zod';
import { PasswordSchema } from './password.ts';

const Email = z
  .string({ error: 'Enter your e-mail address.' })
  .trim()
  .toLowerCase()
  .max(254, 'That e-mail address is too long.')
  .pipe(z.email({ error: 'Enter a valid e-mail address, like ada@example.com.' }));

export const SignUpForm = z.object({
  name: z.string({ error: 'Enter your full name.' }).trim().min(1, 'Enter your full name.').max(120, 'Use at most 120 characters.'),
  email: Email,
  password: PasswordSchema,
});

export const SignInForm = z.object({
  email: Email,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(256, 'Use at most 256 characters.'),
});

export const ChangePasswordForm = z.object({
  currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(256),
  newPassword: PasswordSchema,
});

export const ResetRequestForm = z.object({ email: Email });

export const ResetPasswordForm = z.object({
  token: z.string({ error: 'This reset link is incomplete.' }).min(1, 'This reset link is incomplete.').max(200),
  password: PasswordSchema,
});

export const DeleteAccountForm = z.object({
  password: z.string({ error: 'Enter your password to confirm.' }).min(1, 'Enter your password to confirm.').max(256),
});

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Reads a submitted form and validates it; never throws, whatever the body. */
export async function readForm<T>(request: Request, schema: z.ZodType<T>): Promise<FormResult<T>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, errors: { form: 'The form could not be read. Please submit it again.' }, values: {} };
  }
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === 'string') values[key] = value;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** Only same-site paths are allowed as a return address after sign-in. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/dashboard/';
  return value.slice(0, 500);
}
