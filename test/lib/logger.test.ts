import { describe, expect, it } from "vitest";
import { redactUrls } from "../../src/lib/logger.ts";

describe("redactUrls", () => {
  it("masks the password of every connection string in a message", () => {
    expect(
      redactUrls(
        "connect to postgresql://ijc:s3cr%40t@db:5432/ijc failed; redis://:pw@r:6379 too; http://host/x kept",
      ),
    ).toBe(
      "connect to postgresql://ijc:***@db:5432/ijc failed; redis://:***@r:6379 too; http://host/x kept",
    );
  });
});
