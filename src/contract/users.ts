import { Type, type Static } from 'typebox';
import { User, Email, Password } from './auth.ts';
import { SafeText } from './common.ts';

/** Accounts an admin creates for the people who work the show. Customers register themselves. */
export const StaffRole = Type.Union([Type.Literal('staff'), Type.Literal('door'), Type.Literal('admin')], {
  description: 'staff: box office and orders; door: check-in only; admin: everything',
});

export const CreateUserBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: SafeText({ maxLength: 100, trim: true }),
    role: StaffRole,
    language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('th')])),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UserResult = Type.Object({ user: User });
export type UserResult = Static<typeof UserResult>;

export const ListUsersQuery = Type.Object(
  {
    role: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('door'), Type.Literal('admin')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const UserList = Type.Object({ items: Type.Array(User), page: Type.Integer(), limit: Type.Integer(), total: Type.Integer() });
export type UserList = Static<typeof UserList>;
