/**
 * A search text read as an order code prefix: Crockford base32 decoding rules (case-insensitive, O → 0, I and L → 1,
 * dashes and spaces ignored). Undefined unless it is 4 to 8 code characters.
 */
export function codePrefix(text: string): string | undefined {
  const c = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{4,8}$/.test(c) ? c : undefined;
}

/** A whole order code as typed (same decoding as codePrefix), or undefined unless it is all 8 characters. */
export function orderCode(text: string): string | undefined {
  const c = codePrefix(text);
  return c?.length === 8 ? c : undefined;
}
