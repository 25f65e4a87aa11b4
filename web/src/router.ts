import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/show/2026-12-01) need nothing from the server and survive reloads. */
export function currentRoute(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

/**
 * Whether a route part is a real calendar date written YYYY-MM-DD (a show's date). "2026-02-30" is not one
 * (JavaScript would roll it over to 2 March), nor "hello" or "20261201": such links show "Show not found".
 */
export function isShowDate(part: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(part)) return false;
  const day = new Date(`${part}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === part;
}

/** Whether a route part can be an order id (a UUID, as the API gives them); anything else is "Order not found" at once. */
export function isOrderId(part: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part);
}
