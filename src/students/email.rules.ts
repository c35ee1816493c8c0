/**
 * The key under which a student is unique: trimmed and lower-cased. (Referral checks will add a
 * stricter provider-aware key; this one only removes differences no mail server makes.)
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
