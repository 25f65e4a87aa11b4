import type { Redis } from 'ioredis';

type Subscription = ['psubscribe' | 'subscribe', unknown[]];

/**
 * Wraps the Redis clients handed to @socket.io/redis-adapter so that Redis being slow to connect, or
 * away for a while, neither loses the adapter's subscriptions nor crashes the process:
 *
 * - The clients are created with `enableOfflineQueue: false` (commands fail at once while Redis is away).
 *   The adapter subscribes in its constructor, usually before the connection is ready; that SUBSCRIBE is
 *   then refused (or written during the ready check, which makes ioredis drop the connection), and ioredis
 *   never resubscribes what did not succeed: the instance silently receives nothing from the others.
 *   Here every subscription is remembered and (re)issued whenever the subscriber connection is ready.
 * - The adapter calls `publish()` without handling its promise; with the offline queue off, a publish
 *   while Redis is away rejects, and an unhandled rejection ends the Node process. Here failures are
 *   reported to `onError` instead: other instances miss those events, see the gap in `seq` and skip it
 *   (their clients reload the snapshot, as the contract says).
 */
export function adapterClients(pub: Redis, sub: Redis, onError: (what: string, err: Error) => void): { pub: Redis; sub: Redis } {
  const subscriptions: Subscription[] = [];
  const issue = ([command, args]: Subscription) => {
    if (sub.status !== 'ready') return; // the 'ready' listener below issues it
    (sub[command] as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: Error) => onError(command, err));
  };
  sub.on('ready', () => subscriptions.forEach(issue));

  const forward = (target: Redis, prop: string | symbol) => {
    const value = Reflect.get(target, prop, target) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const safePub = new Proxy(pub, {
    get(target, prop) {
      if (prop !== 'publish') return forward(target, prop);
      return (...args: unknown[]) =>
        (target.publish as (...a: unknown[]) => Promise<number>)(...args).catch((err: Error) => {
          onError('publish', err);
          return 0;
        });
    },
  });
  const safeSub = new Proxy(sub, {
    get(target, prop) {
      if (prop === 'psubscribe' || prop === 'subscribe') {
        return (...args: unknown[]) => {
          const s: Subscription = [prop, args];
          subscriptions.push(s);
          issue(s);
          return Promise.resolve();
        };
      }
      if (prop === 'punsubscribe' || prop === 'unsubscribe') {
        return (...args: unknown[]) => {
          const key = JSON.stringify(args);
          const kind = prop === 'punsubscribe' ? 'psubscribe' : 'subscribe';
          for (let i = subscriptions.length - 1; i >= 0; i--) {
            if (subscriptions[i][0] === kind && JSON.stringify(subscriptions[i][1]) === key) subscriptions.splice(i, 1);
          }
          if (target.status !== 'ready') return Promise.resolve();
          return (target[prop] as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: Error) => onError(prop, err));
        };
      }
      return forward(target, prop);
    },
  });
  return { pub: safePub, sub: safeSub };
}
