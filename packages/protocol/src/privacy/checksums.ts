/**
 * Checksums that tell a real card number or IBAN from any other run of digits, so each is named for what it is.
 * Pure arithmetic over at most a few dozen characters.
 */

/**
 * True when `digits` (only 0-9) passes the Luhn check that every payment card number carries.
 *
 * @example isLuhnValid('4111111111111111'); // true
 */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  let sum = 0;
  let isDoubled = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (isDoubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    isDoubled = !isDoubled;
  }
  return sum % 10 === 0;
}

/**
 * True when `iban` (letters and digits, no spaces) passes the ISO 13616 mod-97 check: the first four characters moved
 * to the end, letters read as 10-35, the number modulo 97 is 1.
 *
 * @example isIbanValid('DE89370400440532013000'); // true
 */
export function isIbanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else {
      const upper = code >= 97 && code <= 122 ? code - 32 : code;
      if (upper < 65 || upper > 90) return false;
      remainder = (remainder * 100 + (upper - 55)) % 97;
    }
  }
  return remainder === 1;
}

/** IBAN lengths of common countries (ISO 13616 registry), to cut an IBAN from the text that follows it. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AT: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24,
  FI: 18, FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TR: 26,
};
