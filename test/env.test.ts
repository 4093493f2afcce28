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
    expect(env.redisUrl).toBe("redis://127.0.0.1:6379");
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
  ])("names the variable in one line: %o", (env, message) => {
    const text = fails(env);
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });

  it("never echoes connection strings, which may hold passwords", () => {
    expect(fails({ DATABASE_URL: "mysql://user:secret@host/db" })).not.toContain("secret");
  });

  it("parses --roles lists", () => {
    expect(parseRoles("worker, web")).toEqual(["worker", "web"]);
    expect(() => parseRoles("", "--roles")).toThrow(/--roles/);
  });
});
