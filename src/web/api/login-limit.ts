import { createHash } from "node:crypto";
import type { Queues } from "../../jobs/queues.ts";

/** Failed sign-ins one email may have per window before it must wait. */
export const LOGIN_FAILURES_PER_EMAIL = 10;
/** Failed sign-ins one address may make per window (any emails) before it must wait. */
export const LOGIN_FAILURES_PER_IP = 30;
export const LOGIN_FAILURE_WINDOW_S = 15 * 60;

/**
 * Counts failed sign-ins in Redis (shared by every web process), per email
 * against guessing one person's password and per address against trying many
 * accounts. The window starts at the first failure and is not extended.
 */
export function loginLimit(queues: Queues) {
  const redis = queues.connection;
  // Emails are hashed: the Redis keys need not show who is being tried.
  const emailKey = (email: string) =>
    `${queues.prefix}:login-failures:email:${createHash("sha256").update(email).digest("hex").slice(0, 32)}`;
  const ipKey = (ip: string) => `${queues.prefix}:login-failures:ip:${ip}`;

  return {
    /** Seconds to wait before trying again, or 0 when a sign-in may be tried. */
    async wait(email: string, ip: string): Promise<number> {
      const checks: [string, number][] = [
        [emailKey(email), LOGIN_FAILURES_PER_EMAIL],
        [ipKey(ip), LOGIN_FAILURES_PER_IP],
      ];
      let wait = 0;
      for (const [key, max] of checks) {
        if (Number((await redis.get(key)) ?? 0) >= max)
          wait = Math.max(wait, 1, await redis.ttl(key));
      }
      return wait;
    },
    async failed(email: string, ip: string): Promise<void> {
      // Created with its expiry in one transaction: a count can never be left without one.
      const tx = redis.multi();
      for (const key of [emailKey(email), ipKey(ip)])
        tx.set(key, 0, "EX", LOGIN_FAILURE_WINDOW_S, "NX").incr(key);
      await tx.exec();
    },
    /** A success forgets the email's failures (the address's count stays: it may be trying many). */
    async succeeded(email: string): Promise<void> {
      await redis.del(emailKey(email));
    },
  };
}
