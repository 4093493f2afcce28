import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv, parseRoles } from "../src/env.ts";

const fails = (env: Record<string, string>) => {
  try {
    loadEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("loadEnv", () => {
  it("runs on the embedded defaults with nothing set", () => {
    const env = loadEnv({});
    expect(env.databaseUrl).toBeUndefined();
    expect(env.dataDir).toBe("./data");
    // No REDIS_URL: the local Redis if one answers, else the service's own (own-redis.ts).
    expect(env.redisUrl).toBeUndefined();
    expect(env.redisLocalAddress).toBe("127.0.0.1:6379");
    expect(env.queuePrefix).toBeUndefined();
    expect(env.port).toBe(3000);
    expect(env.roles).toEqual(["gateway", "worker", "web"]);
    expect(env.logFormat).toBe("pretty");
    expect(env.staffSessionHours).toBe(12);
  });

  it("treats empty values as unset", () => {
    expect(loadEnv({ DATABASE_URL: "", PORT: "" }).port).toBe(3000);
  });

  it("uses JSON logs in production unless told otherwise", () => {
    expect(loadEnv({ NODE_ENV: "production" }).logFormat).toBe("json");
    expect(loadEnv({ NODE_ENV: "production", LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
  });

  it.each([
    [{ PORT: "abc" }, /^PORT must be a whole number \(got "abc"\)$/],
    [{ PORT: "70000" }, /^PORT must be at most 65535/],
    [{ REDIS_URL: "http://localhost" }, /^REDIS_URL must be a URL starting with redis:\/\//],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL must be a URL starting with postgres/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL /],
    [{ QUEUE_PREFIX: "a:b" }, /^QUEUE_PREFIX may only contain/],
    [{ ROLES: "worker,cook" }, /^ROLES: unknown role "cook"/],
    [{ SHUTDOWN_TIMEOUT_MS: "5" }, /^SHUTDOWN_TIMEOUT_MS must be at least 100/],
    [{ STAFF_SESSION_HOURS: "0" }, /^STAFF_SESSION_HOURS must be at least 1/],
    [{ WHATSAPP_AUTH_KEY: "too-short" }, /^WHATSAPP_AUTH_KEY must be 32 bytes/],
    [{ WHATSAPP_PAIRING_NUMBER: "0812-3456-7890" }, /^WHATSAPP_PAIRING_NUMBER must be the number/],
    [{ WHATSAPP_JITTER_MS: "4000-1500" }, /^WHATSAPP_JITTER_MS the first number/],
    [{ WHATSAPP_PER_MINUTE: "0" }, /^WHATSAPP_PER_MINUTE must be at least 1/],
  ])("names the variable in one line: %o", (env, message) => {
    const text = fails(env);
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });

  it("never echoes connection strings, which may hold passwords", () => {
    expect(fails({ DATABASE_URL: "mysql://user:secret@host/db" })).not.toContain("secret");
    expect(fails({ WHATSAPP_AUTH_KEY: "sekret-sekret" })).not.toContain("sekret");
  });

  it("enables WhatsApp with its key, with conservative sending limits by default", () => {
    expect(loadEnv({}).whatsapp).toBeUndefined();
    const key = "ab".repeat(32);
    const env = loadEnv({ WHATSAPP_AUTH_KEY: key, WHATSAPP_PAIRING_NUMBER: "+62 812-3456-7890" });
    expect(env.whatsapp).toEqual({
      authKey: Buffer.from(key, "hex"),
      session: "default",
      pairingNumber: "6281234567890",
      perMinute: 12,
      proactivePerMinute: 4,
      proactivePerDay: 150,
      jitterMs: [1500, 4000],
    });
  });

  describe("TRUST_PROXY", () => {
    it("is refused as true in production, with what to set instead", () => {
      const text = fails({ NODE_ENV: "production", TRUST_PROXY: "true" });
      expect(text).toMatch(/^TRUST_PROXY=true lets any client choose its address/);
      expect(text).toContain("TRUST_PROXY=127.0.0.1");
      expect(text).toContain("10.0.0.0/8");
      expect(text).not.toContain("\n");
    });

    it("takes the proxies' addresses, ranges and proxy-addr's range names", () => {
      expect(loadEnv({}).trustProxy).toBe(false);
      expect(
        loadEnv({
          NODE_ENV: "production",
          TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,fd00::/8,::1,loopback",
        }).trustProxy,
      ).toEqual(["127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1", "loopback"]);
      // Outside production, "true" still works for trying things on one machine.
      expect(loadEnv({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    });

    it.each([
      "1",
      "2",
      "10.0.0.300",
      "10.0.0.0/33",
      "fd00::/129",
      "10.0.0.0/8/8",
      "proxy.example",
      "10.0.0.1,",
      "*",
    ])("refuses %j", (value) => {
      expect(fails({ TRUST_PROXY: value })).toMatch(/^TRUST_PROXY must be false or the proxy's/);
    });
  });

  it("parses --roles lists", () => {
    expect(parseRoles("worker, web")).toEqual(["worker", "web"]);
    expect(() => parseRoles("", "--roles")).toThrow(/--roles/);
  });
});
