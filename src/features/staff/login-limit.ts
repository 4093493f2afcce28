/**
 * Failed-sign-in limits that slow a guesser down without locking the account
 * owner out. Kept in Redis (shared by every web process), timed by the
 * caller's clock.
 *
 * - Each (email, address) pair has its own backoff: PAIR_FREE_FAILURES wrong
 *   passwords, then a wait that doubles with each further one, up to
 *   LOGIN_MAX_DELAY_S. Failures from elsewhere never add to it, so nobody can
 *   stop the owner signing in from their own address.
 * - An email with more than EMAIL_FAILURE_CEILING failures an hour from all
 *   addresses together (a distributed guess) slows every address that has not
 *   signed in to it before: its first attempt is still checked at once, each
 *   further one waits SLOWED_FIRST_DELAY_S, doubling.
 * - An address with more than ADDRESS_FAILURE_CEILING failures in 15 minutes
 *   for any emails (trying many accounts) gets the same slower backoff, and
 *   at most one attempt per ADDRESS_GATE_S for accounts that have not signed
 *   in from it before.
 * - A successful sign-in clears its pair and makes the address known for the
 *   account for KNOWN_PAIR_DAYS: the ceilings above no longer apply to it.
 */
import { createHash } from "node:crypto";
import type { RedisKeys } from "../../lib/redis-keys.ts";

/** Wrong passwords one (email, address) pair may give before it must wait. */
export const PAIR_FREE_FAILURES = 5;
/** The wait after those; each further failure doubles it. */
export const PAIR_FIRST_DELAY_S = 1;
/** The longest wait between two attempts of a pair. */
export const LOGIN_MAX_DELAY_S = 15 * 60;
/** A pair's failures are forgotten this long after its last one (or at a success). */
export const PAIR_MEMORY_S = 24 * 3600;
/** Failures for one email from all addresses within EMAIL_WINDOW_S that slow unknown addresses. */
export const EMAIL_FAILURE_CEILING = 100;
export const EMAIL_WINDOW_S = 3600;
/** Failures from one address for any emails within ADDRESS_WINDOW_S that slow it. */
export const ADDRESS_FAILURE_CEILING = 30;
export const ADDRESS_WINDOW_S = 15 * 60;
/** Slowed: the wait after a pair's first failure, doubling with each further one. */
export const SLOWED_FIRST_DELAY_S = 30;
/** Slowed address: at most one attempt this often for accounts it does not know. */
export const ADDRESS_GATE_S = 30;
/** How long a successful sign-in keeps its address known for that account. */
export const KNOWN_PAIR_DAYS = 90;

// KEYS: pair, email, address, known pair, address gate. ARGV: now (ms), then the settings.
// Answers {allowed (1/0), wait ms, email over its ceiling (1/0)}.
const ATTEMPT = `
local now = tonumber(ARGV[1])
local free, first, max, memory = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local emailCeiling, emailWindow = tonumber(ARGV[6]), tonumber(ARGV[7])
local addressCeiling, addressWindow = tonumber(ARGV[8]), tonumber(ARGV[9])
local slowFirst, gateMs = tonumber(ARGV[10]), tonumber(ARGV[11])

local function windowed(key, window)
  local v = redis.call('HMGET', key, 'start', 'n')
  local start = tonumber(v[1])
  if start == nil or now - start >= window or now < start then return nil, 0 end
  return start, tonumber(v[2]) or 0
end
local function add(key, window)
  local start, n = windowed(key, window)
  if start == nil then redis.call('HSET', key, 'start', now, 'n', 1)
  else redis.call('HSET', key, 'n', n + 1) end
  redis.call('PEXPIRE', key, window)
end

local known = redis.call('EXISTS', KEYS[4]) == 1
local _, emailFailures = windowed(KEYS[2], emailWindow)
local _, addressFailures = windowed(KEYS[3], addressWindow)
local emailOver = emailFailures >= emailCeiling
local addressSlowed = (not known) and addressFailures >= addressCeiling
local slowed = addressSlowed or ((not known) and emailOver)
local flag = emailOver and 1 or 0

local p = redis.call('HMGET', KEYS[1], 'n', 'next', 'last')
local n, nextAt, last = tonumber(p[1]) or 0, tonumber(p[2]) or 0, tonumber(p[3]) or 0
if n > 0 and now - last >= memory then n, nextAt = 0, 0 end
if now < nextAt then return {0, nextAt - now, flag} end
if addressSlowed then
  local gate = tonumber(redis.call('GET', KEYS[5]) or '0')
  if now < gate then return {0, gate - now, flag} end
  redis.call('SET', KEYS[5], now + gateMs, 'PX', gateMs)
end

-- Counted as a failure before the password is checked, so a parallel burst is held back in full;
-- a success gives it back.
n = n + 1
local delay = 0
if slowed then delay = slowFirst * 2 ^ (n - 1)
elseif n >= free then delay = first * 2 ^ (n - free) end
if delay > max then delay = max end
redis.call('HSET', KEYS[1], 'n', n, 'next', now + delay, 'last', now)
redis.call('PEXPIRE', KEYS[1], memory)
add(KEYS[2], emailWindow)
add(KEYS[3], addressWindow)
return {1, 0, flag}
`;

// KEYS: pair, email, address, known pair. ARGV: now (ms), known for (ms), email window, address window.
const SUCCEEDED = `
local now = tonumber(ARGV[1])
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[4], now, 'PX', tonumber(ARGV[2]))
local function giveBack(key, window)
  local v = redis.call('HMGET', key, 'start', 'n')
  local start, n = tonumber(v[1]), tonumber(v[2]) or 0
  if start ~= nil and now - start < window and n > 0 then redis.call('HSET', key, 'n', n - 1) end
end
giveBack(KEYS[2], tonumber(ARGV[3]))
giveBack(KEYS[3], tonumber(ARGV[4]))
return 1
`;

export interface LoginAttempt {
  /** 0: check the password; otherwise the seconds this email and address must wait (nothing checked). */
  waitS: number;
  /** The email has had more failures from all addresses than its ceiling: someone is guessing. */
  emailUnderAttack: boolean;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

export function loginLimit(queues: RedisKeys) {
  const redis = queues.connection;
  // Emails and addresses are hashed: the Redis keys need not show who is being tried, or from where.
  const keys = (email: string, ip: string) => {
    const base = `${queues.prefix}:login`;
    const e = digest(`email:${email}`);
    const a = digest(`address:${ip}`);
    return {
      pair: `${base}:pair:${e}:${a}`,
      email: `${base}:email:${e}`,
      address: `${base}:address:${a}`,
      known: `${base}:known:${e}:${a}`,
      gate: `${base}:gate:${a}`,
    };
  };

  return {
    /**
     * Asks to check a password for `email` from `ip`. An allowed attempt is
     * counted as a failure at once (a success gives it back), so a burst of
     * parallel guesses is held back as surely as one after another.
     */
    async attempt(email: string, ip: string, now: Date): Promise<LoginAttempt> {
      const k = keys(email, ip);
      const [allowed, waitMs, emailOver] = (await redis.eval(
        ATTEMPT,
        5,
        k.pair,
        k.email,
        k.address,
        k.known,
        k.gate,
        now.getTime(),
        PAIR_FREE_FAILURES,
        PAIR_FIRST_DELAY_S * 1000,
        LOGIN_MAX_DELAY_S * 1000,
        PAIR_MEMORY_S * 1000,
        EMAIL_FAILURE_CEILING,
        EMAIL_WINDOW_S * 1000,
        ADDRESS_FAILURE_CEILING,
        ADDRESS_WINDOW_S * 1000,
        SLOWED_FIRST_DELAY_S * 1000,
        ADDRESS_GATE_S * 1000,
      )) as [number, number, number];
      return {
        waitS: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
        emailUnderAttack: emailOver === 1,
      };
    },
    /** The password was right: the pair starts afresh and its address is known for the account. */
    async succeeded(email: string, ip: string, now: Date): Promise<void> {
      const k = keys(email, ip);
      await redis.eval(
        SUCCEEDED,
        4,
        k.pair,
        k.email,
        k.address,
        k.known,
        now.getTime(),
        KNOWN_PAIR_DAYS * 86_400_000,
        EMAIL_WINDOW_S * 1000,
        ADDRESS_WINDOW_S * 1000,
      );
    },
  };
}
