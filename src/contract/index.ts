/** The public contract: every request, response, error and socket event schema. Shared by server and SDK. */
export * from './common.ts';
export * from './auth.ts';
export * from './catalog.ts';
export * from './seats.ts';
export * from './orders.ts';
export * from './tickets.ts';
export * from './users.ts';
export * from './payments.ts';
export * from './ops.ts';
export * from './events.ts';
export * from './boxoffice.ts';
