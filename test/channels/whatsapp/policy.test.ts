import { afterAll, describe, expect, it } from "vitest";
import { afterDisconnect, MAX_DELAY_MS } from "../../../src/channels/whatsapp/reconnect.ts";
import { restrictionSignal, SendCircuit } from "../../../src/features/whatsapp/circuit.ts";
import { createRedis } from "../../../src/jobs/redis.ts";
import { TEST_REDIS_URL, testPrefix } from "../../helpers/redis.ts";

describe("WhatsApp reconnect policy", () => {
  it.each([
    [401, { action: "stop", reason: "logged_out", clearCredentials: true, alertStaff: true }],
    [440, { action: "stop", reason: "replaced", clearCredentials: false, alertStaff: true }],
    [403, { action: "stop", reason: "forbidden", clearCredentials: false, alertStaff: true }],
    [
      411,
      { action: "stop", reason: "multidevice_mismatch", clearCredentials: false, alertStaff: true },
    ],
    [515, { action: "reconnect", delayMs: 0 }],
  ])("code %i → %j", (code, expected) => {
    expect(afterDisconnect(code, 3)).toEqual(expected);
  });

  it.each([408, 428, 500, 503, undefined])(
    "code %s: reconnects with growing, jittered, capped delays",
    (code) => {
      const low = (attempt: number) => afterDisconnect(code, attempt, () => 0);
      const high = (attempt: number) => afterDisconnect(code, attempt, () => 0.999999);
      expect(low(0)).toEqual({ action: "reconnect", delayMs: 500 });
      expect(high(0)).toEqual({ action: "reconnect", delayMs: 1000 });
      expect(low(3)).toEqual({ action: "reconnect", delayMs: 4000 });
      expect(high(3)).toEqual({ action: "reconnect", delayMs: 8000 });
      // Never faster than half a minute once it has failed long, never slower than the cap.
      for (const attempt of [10, 50, 1000]) {
        const d = afterDisconnect(code, attempt) as { delayMs: number };
        expect(d.delayMs).toBeGreaterThanOrEqual(MAX_DELAY_MS / 2);
        expect(d.delayMs).toBeLessThanOrEqual(MAX_DELAY_MS);
      }
    },
  );
});

describe("WhatsApp restriction signals", () => {
  it.each([
    [{ output: { statusCode: 463 }, message: "x" }, "error 463"],
    [new Error("Request failed with status 463"), "error 463"],
    // Baileys 7's own wording (ACCOUNT_RESTRICTED_TEXT).
    [new Error("Your account has been restricted"), "account restricted"],
    [new Error("This account is restricted"), "account restricted"],
    [
      { message: "not-acceptable", data: { reachoutTimeLock: { isActive: true } } },
      "reachoutTimeLock",
    ],
    [new Error("Connection Closed"), null],
    [new Error("timed out"), null],
    [{ output: { statusCode: 428 } }, null],
    [null, null],
    ["a string", null],
  ])("%j → %s", (error, expected) => {
    expect(restrictionSignal(error)).toBe(expected);
  });
});

describe("WhatsApp send circuit", () => {
  const keys = testPrefix();
  const redis = createRedis(TEST_REDIS_URL);
  afterAll(async () => {
    await keys.cleanup();
    redis.disconnect();
  });

  it("opens on a restriction, stays open for every process, and closes only when staff close it", async () => {
    const one = new SendCircuit(redis, keys.prefix);
    const other = new SendCircuit(redis, keys.prefix);
    expect(await one.state()).toBeNull();
    const at = new Date("2026-12-01T02:00:00Z");
    expect(await one.open("error 463", at)).toBe(true);
    // A second signal does not move the first reason or time.
    expect(await other.open("account restricted", new Date())).toBe(false);
    expect(await other.state()).toEqual({ reason: "error 463", at: at.toISOString() });
    expect(await redis.pttl(`${keys.prefix}:whatsapp:circuit`)).toBe(-1);
    await one.close();
    expect(await other.state()).toBeNull();
  });
});
