import { timingSafeEqual } from "node:crypto";

/**
 * Whether a presented secret (a header or form field) equals the expected
 * one, in constant time. Byte lengths are compared first: timingSafeEqual
 * throws on buffers of different length, and two strings of the same length
 * can differ in bytes ("é" is two bytes in UTF-8).
 */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}
