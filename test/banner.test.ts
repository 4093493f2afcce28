import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRedisUrl, startBanner } from "../src/banner.ts";
import type { Services } from "../src/boot.ts";
import type { Env } from "../src/env.ts";
import { createStaffUser } from "../src/features/staff/accounts.ts";
import { TEST_DATABASE_ADDRESS } from "./helpers/db.ts";
import { createHarness, type Harness } from "./helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const env = {
  roles: ["gateway", "worker", "web"],
  host: "0.0.0.0",
  port: 3000,
} as unknown as Env;
const redisTarget = {
  url: "redis://:s3cret@127.0.0.1:6380/2",
  source: "configured",
  stop: async () => undefined,
};

describe("the start banner", () => {
  it("says where the console, the database and Redis are, without the Redis password", async () => {
    const banner = await startBanner(
      env,
      { db: h.db, prefix: "ijc-0123456789", redisTarget } as Services,
      true,
    );
    expect(banner).toContain("Console:  http://localhost:3000/console");
    expect(banner).toContain(`PostgreSQL at ${TEST_DATABASE_ADDRESS}/`);
    expect(banner).toContain("redis://127.0.0.1:6380/2 (queues ijc-0123456789)");
    expect(banner).not.toContain("s3cret");
    expect(describeRedisUrl("redis://user:pw@example:6379")).toBe("redis://example:6379");
  });

  it("tells how to make the first admin until one exists", async () => {
    const services = { db: h.db, prefix: "p", redisTarget } as Services;
    const first = await startBanner(env, services, true);
    expect(first).toContain("No staff admin yet");
    expect(first).toMatch(/http:\/\/localhost:3000\/console\/setup\?token=ijx_[\w-]{43}\n/);
    expect(first).toContain("npm run staff -- create-admin");
    expect(await h.prisma.setupLink.count({ where: { endedAt: null } })).toBe(1);
    await createStaffUser(h.prisma, {
      email: "admin@pki.example",
      name: "Admin",
      role: "admin",
      cities: [],
      password: "a long enough password",
    });
    const after = await startBanner(env, services, false);
    expect(after).not.toContain("No staff admin yet");
    expect(after).not.toContain("Console:");
  });
});
