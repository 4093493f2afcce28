/**
 * Encryption at rest for the WhatsApp session: AES-256-GCM with the key from
 * WHATSAPP_AUTH_KEY, a fresh IV per write, and the row's name as additional
 * data (a value copied to another row does not open).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV = 12;
const TAG = 16;

export class SealError extends Error {}

/** 32 bytes, given as 64 hex digits or base64. */
export function parseAuthKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32)
    throw new SealError(
      "WHATSAPP_AUTH_KEY must be 32 bytes: 64 hex digits or 44 base64 characters",
    );
  return key;
}

export function seal(key: Buffer, plaintext: string, name: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Uint8Array, name: string): string {
  const data = Buffer.from(sealed);
  if (data.length < IV + TAG) throw new SealError(`stored WhatsApp key ${name} is damaged`);
  const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, IV));
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(data.subarray(IV, IV + TAG));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV + TAG)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealError(
      `stored WhatsApp key ${name} does not open with this WHATSAPP_AUTH_KEY (changed key, or damaged data)`,
    );
  }
}
