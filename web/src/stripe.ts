import type { StripeConstructor } from '@stripe/stripe-js';

/** Stripe.js by the URL it was asked from: the script is added to the page once, however often a pay page opens. */
const loading = new Map<string, Promise<StripeConstructor>>();

/**
 * Loads Stripe.js from `jsUrl` (the server's STRIPE_JS_URL: Stripe requires its own copy, never a bundled one) and
 * resolves with its `Stripe` constructor. Rejects when the script cannot be loaded (offline, blocked); a later call
 * tries again.
 */
export function loadStripeJs(jsUrl: string): Promise<StripeConstructor> {
  const known = loading.get(jsUrl);
  if (known) return known;
  const promise = new Promise<StripeConstructor>((resolve, reject) => {
    if (window.Stripe) return resolve(window.Stripe);
    const script = document.createElement('script');
    script.src = jsUrl;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js loaded without defining Stripe')));
    script.onerror = () => {
      script.remove();
      reject(new Error(`Stripe.js could not be loaded from ${jsUrl}`));
    };
    document.head.appendChild(script);
  });
  loading.set(jsUrl, promise);
  promise.catch(() => loading.delete(jsUrl));
  return promise;
}
