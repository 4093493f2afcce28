import { randomUUID } from "node:crypto";
import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { broadcastSubject } from "../../src/features/broadcasts/subject.ts";
import { vacancySubject } from "../../src/features/vacancies/subject.ts";
import { formatSubject, parseSubject, type Subject } from "../../src/jobs/subject.ts";
import { failedForGood, requireUuids } from "../../src/jobs/workers/job.ts";

describe("outbox subjects", () => {
  it("format as the text the column has always held", () => {
    const id = randomUUID();
    expect(formatSubject({ kind: "vacancy", id })).toBe(`vacancy:${id}`);
    expect(formatSubject({ kind: "broadcast", id })).toBe(`broadcast:${id}`);
    expect(formatSubject({ kind: "training", id })).toBe(`training:${id}`);
    // The features write the same text with their own helpers.
    expect(vacancySubject(id)).toBe(formatSubject({ kind: "vacancy", id }));
    expect(broadcastSubject(id)).toBe(formatSubject({ kind: "broadcast", id }));
  });

  it("parse what they format", () => {
    const subjects: Subject[] = [
      { kind: "vacancy", id: randomUUID() },
      { kind: "broadcast", id: randomUUID() },
      { kind: "training", id: randomUUID() },
    ];
    for (const subject of subjects) expect(parseSubject(formatSubject(subject))).toEqual(subject);
  });

  it("parse a string stored before the type existed", () => {
    // As written by the earlier `vacancy:${id}` template and kept in existing rows.
    expect(parseSubject("vacancy:3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b")).toEqual({
      kind: "vacancy",
      id: "3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b",
    });
    expect(parseSubject("broadcast:0B5E2F1A-7C3D-4E8F-9A0B-1C2D3E4F5A6B")).toEqual({
      kind: "broadcast",
      id: "0B5E2F1A-7C3D-4E8F-9A0B-1C2D3E4F5A6B",
    });
  });

  it("parse nothing, or a malformed string, as no subject", () => {
    for (const text of [
      null,
      undefined,
      "",
      "vacancy",
      "vacancy:",
      "vacancy:42",
      "vacancy:3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b:extra",
      "job:3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b",
      ":3f2b8c1e-9d4a-4e6f-8a7b-1c2d3e4f5a6b",
    ])
      expect(parseSubject(text), String(text)).toBeNull();
  });
});

describe("job payloads", () => {
  const job = (data: object, attemptsMade = 0, attempts = 8) =>
    ({ data, attemptsMade, opts: { attempts } }) as never;

  it("whose ids are not ids fail for good at once", () => {
    expect(() => requireUuids(job({ outboxId: "not-an-id" }), "outboxId" as never)).toThrow(
      UnrecoverableError,
    );
    expect(() => requireUuids(job({}), "broadcastId" as never)).toThrow(UnrecoverableError);
    expect(() => requireUuids(job({ outboxId: randomUUID() }), "outboxId" as never)).not.toThrow();
    expect(failedForGood(job({}), new UnrecoverableError("invalid payload"))).toBe(true);
  });

  it("fail for good after the last attempt only, otherwise", () => {
    expect(failedForGood(job({}, 1, 8), new Error("x"))).toBe(false);
    expect(failedForGood(job({}, 8, 8), new Error("x"))).toBe(true);
    expect(failedForGood(undefined, new Error("x"))).toBe(false);
  });
});
