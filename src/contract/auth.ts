import { Type, type Static } from 'typebox';
import { Role, Uuid, IsoDate, SafeText } from './common.ts';

export const User = Type.Object({
  id: Uuid,
  email: Type.String({ format: 'email' }),
  name: Type.String(),
  role: Role,
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('th')], { description: 'Mails to this account are written in it (Accept-Language at registration)' })),
  createdAt: IsoDate,
});
export type User = Static<typeof User>;

export const Email = Type.String({ format: 'email', maxLength: 254, example: 'somchai@example.com' });
export const Password = SafeText({ minLength: 8, maxLength: 128, example: 'correct-horse-battery' });

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: SafeText({ maxLength: 100, trim: true, example: 'Somchai' }) },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { email: SafeText({ minLength: 1, maxLength: 254 }), password: SafeText({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const AuthResult = Type.Object({ user: User, accessToken: Type.String() });
export type AuthResult = Static<typeof AuthResult>;

export const MeResult = Type.Object({ user: User });
export type MeResult = Static<typeof MeResult>;
