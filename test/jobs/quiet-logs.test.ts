import { describe, expect, it } from "vitest";
import { didNothing } from "../../src/jobs/workers/index.ts";

describe("scheduled jobs that did nothing are logged at debug", () => {
  it.each([
    [{ outbox: 0, inbound: 0, forgotten: 0, matching: 0, expired: 0, broadcasts: 0 }, true],
    [{ outbox: 0, inbound: 2, forgotten: 0, matching: 0, expired: 0, broadcasts: 0 }, false],
    [{ deleted: 0 }, true],
    [{ nested: { a: 0, b: 1 } }, false],
    [undefined, true],
    [3, false],
    ["done", false],
  ])("%j → %s", (outcome, nothing) => {
    expect(didNothing(outcome)).toBe(nothing);
  });
});
