/**
 * Thai phone numbers as people write them: nationally with a leading 0 ("089 111 2222", "02 123 4567") or
 * internationally with +66 / 0066 ("+66 89 111 2222"). One number, two spellings (issue 17); these helpers are the
 * one place that knows it.
 */

/** Matches the international prefix of a Thai number at the start of what was typed: "+66", "0066", "(+66)". */
const THAI_INTERNATIONAL = /^[^0-9+]*(?:\+|00)66\)?/;

/**
 * The digits of a phone number in the Thai national form: "+66 89 111 2222" → "0891112222", "089-111" → "089111";
 * other countries' numbers keep their digits. The SQL twin is in ordersRepository.list (the search), keep them equal.
 */
export function nationalDigits(phone: string): string {
  return phone.replace(THAI_INTERNATIONAL, '0').replace(/[^0-9]/g, '');
}

/**
 * A phone number written so a spreadsheet keeps it as text (CSV export): a Thai number in the international form
 * with spaces, "+66 89 111 2222" (a leading 0 would be dropped by Excel, and "+66891112222" read as a number);
 * anything else as it was entered.
 */
export function phoneForSpreadsheet(phone: string): string {
  const national = nationalDigits(phone);
  const isThai = THAI_INTERNATIONAL.test(phone) || /^[^0-9+]*0[1-9]/.test(phone);
  if (!isThai || national.length < 9 || national.length > 10) return phone;
  const rest = national.slice(1);
  // mobile numbers (9 digits after the 0): 89 111 2222; Bangkok and provincial lines (8): 2 123 4567
  return rest.length === 9 ? `+66 ${rest.slice(0, 2)} ${rest.slice(2, 5)} ${rest.slice(5)}` : `+66 ${rest.slice(0, 1)} ${rest.slice(1, 4)} ${rest.slice(4)}`;
}
