import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PostgreSQL and Redis: the configured ones when they answer, else the run's own.
    globalSetup: ["test/global-setup.ts"],
    // A non-UTC zone catches code that uses the machine's time zone by mistake.
    env: { TZ: "Asia/Makassar", NODE_ENV: "test" },
    // Generous: tests wait for events, and a shared machine can be several times slower
    // than a quiet one (waits scale the same way: test/helpers/wait.ts).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 20_000 } },
    pool: "forks",
    maxWorkers: 2,
  },
});
