import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PostgreSQL and Redis: the configured ones when they answer, else the run's own.
    globalSetup: ["test/global-setup.ts"],
    // A non-UTC zone catches code that uses the machine's time zone by mistake.
    env: { TZ: "Asia/Makassar", NODE_ENV: "test" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
