import { z } from "zod";

export const emailField = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(254, "is too long")
  .pipe(z.email({ error: "is not a valid email address" }))
  .transform((email) => email.toLowerCase());

export const newPasswordField = z
  .string({ error: "is required" })
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

export const LoginSchema = z.object({
  email: emailField,
  password: z.string({ error: "is required" }).min(1, "is required").max(200, "is too long"),
  redirectTo: z.string().optional(),
});

export const PasswordResetRequestSchema = z.object({ email: emailField });

export const SetPasswordSchema = z
  .object({ password: newPasswordField, confirmPassword: z.string({ error: "is required" }) })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "does not match the password" });

/** A signed-in user's new password: the current one proves it is them, the new one is typed twice. */
export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "is required" }).min(1, "is required").max(200, "is too long"),
    password: newPasswordField,
    confirmPassword: z.string({ error: "is required" }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "does not match the password" })
  .refine((v) => v.password !== v.currentPassword, { path: ["password"], message: "must differ from the current password" });

export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const SignupRequestSchema = z.object({
  name: z.string({ error: "is required" }).trim().min(2, "is required").max(120, "is too long"),
  email: emailField,
  companyName: z.string({ error: "is required" }).trim().min(2, "is required").max(200, "is too long"),
  vatId: z
    .string()
    .trim()
    .toUpperCase()
    .max(20, "is too long")
    .refine((v) => v === "" || /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(v), "is not a VAT id (country code and number, e.g. DE123456789)")
    .optional(),
  customerNumber: z.string().trim().max(40, "is too long").optional(),
  message: z.string().trim().max(2000, "is too long").optional(),
});
