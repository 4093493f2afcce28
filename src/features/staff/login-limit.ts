import { createHash } from "node:crypto";
import type { Queues } from "../../jobs/queues.ts";

/** Sign-in attempts that failed (or are being checked) one email may have per window before it must wait. */
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
    /**
     * Counts a sign-in attempt before the password is checked, so a burst of
     * parallel guesses is counted in full; answers the seconds to wait when
     * the email or the address is over its limit (then nothing is checked).
     */
    async attempt(email: string, ip: string): Promise<number> {
      const checks: [string, number][] = [
        [emailKey(email), LOGIN_FAILURES_PER_EMAIL],
        [ipKey(ip), LOGIN_FAILURES_PER_IP],
      ];
      // Created with its expiry in one transaction: a count can never be left without one.
      const tx = redis.multi();
      for (const [key] of checks) tx.set(key, 0, "EX", LOGIN_FAILURE_WINDOW_S, "NX").incr(key);
      const results = (await tx.exec()) ?? [];
      let wait = 0;
      for (const [i, [key, max]] of checks.entries()) {
        const count = Number(results[i * 2 + 1]?.[1] ?? 0);
        if (count > max) wait = Math.max(wait, 1, await redis.ttl(key));
      }
      return wait;
    },
    /**
     * The attempt succeeded: the email's failures are forgotten, and the
     * address's count gives the attempt back (it may still be trying many emails).
     */
    async succeeded(email: string, ip: string): Promise<void> {
      await redis.multi().del(emailKey(email)).decr(ipKey(ip)).exec();
    },
  };
}
