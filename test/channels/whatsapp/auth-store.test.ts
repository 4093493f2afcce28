import { randomBytes } from "node:crypto";
import { BufferJSON, initAuthCreds, proto, type SignalDataTypeMap } from "@whiskeysockets/baileys";
import { describe, expect, it } from "vitest";
import { useDatabaseAuthState } from "../../../src/channels/whatsapp/auth-store.ts";
import { parseAuthKey, SealError } from "../../../src/channels/whatsapp/sealed.ts";
import { openTestDatabase } from "../../helpers/db.ts";

const KEY = randomBytes(32);
const bytes = (n: number) => new Uint8Array(randomBytes(n));
const keyPair = () => ({ public: bytes(32), private: bytes(32) });

/** One value of every signal key type Baileys stores, shaped as Baileys writes them. */
function everyKeyType(): {
  [T in keyof SignalDataTypeMap]: { [id: string]: SignalDataTypeMap[T] };
} {
  return {
    "pre-key": { "1": keyPair(), "2": keyPair() },
    session: { "628123@s.whatsapp.net.0": bytes(200) },
    "sender-key": { "group@g.us::628123::0": bytes(120) },
    "sender-key-memory": { "group@g.us": { "628123@s.whatsapp.net": true } },
    "app-state-sync-key": {
      AAAAAJkO: proto.Message.AppStateSyncKeyData.fromObject({
        keyData: bytes(32),
        fingerprint: { rawId: 7, currentIndex: 1, deviceIndexes: [0, 1] },
        timestamp: 1_795_000_000,
      }),
    },
    "app-state-sync-version": {
      regular: { version: 3, hash: Buffer.from(bytes(128)), indexValueMap: {} },
    },
    "lid-mapping": { "628123": "123456789@lid" },
    "device-list": { "628123": ["0", "1"] },
    tctoken: {
      "628123@s.whatsapp.net": { token: Buffer.from(bytes(20)), timestamp: "1795000000" },
    },
    "identity-key": { "628123.0": bytes(33) },
  } as never;
}

describe.each(["postgres", "embedded"] as const)("WhatsApp auth store (%s)", (kind) => {
  it("round-trips the credentials and every key type, encrypted, across a restart", async () => {
    const database = await openTestDatabase(kind);
    try {
      const prisma = database.db.prisma;
      const first = await useDatabaseAuthState(prisma, "main", KEY);
      first.state.creds.me = { id: "6281234567890:1@s.whatsapp.net", name: "PKI Makassar" };
      first.state.creds.registered = true;
      await first.saveCreds();
      const written = everyKeyType();
      await first.state.keys.set(written);

      // A restart: a new store over the same rows.
      const again = await useDatabaseAuthState(prisma, "main", KEY);
      expect(again.state.creds.me).toEqual(first.state.creds.me);
      expect(again.state.creds.registered).toBe(true);
      expect(Buffer.from(again.state.creds.noiseKey.private)).toEqual(
        Buffer.from(first.state.creds.noiseKey.private),
      );
      for (const [type, entries] of Object.entries(written)) {
        const ids = Object.keys(entries);
        const read = await again.state.keys.get(type as keyof SignalDataTypeMap, [
          ...ids,
          "absent",
        ]);
        expect(Object.keys(read).sort(), type).toEqual(ids.sort());
        for (const id of ids) {
          const want = (entries as Record<string, unknown>)[id];
          const got = read[id];
          if (type === "app-state-sync-key") {
            expect(got).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
            expect(Buffer.from((got as { keyData: Uint8Array }).keyData)).toEqual(
              Buffer.from((want as { keyData: Uint8Array }).keyData),
            );
          } else {
            // Bytes compare as bytes (a Uint8Array written comes back as a Buffer).
            const same = (v: unknown) => JSON.parse(JSON.stringify(v, BufferJSON.replacer));
            expect(same(got), `${type}/${id}`).toEqual(same(want));
          }
        }
      }

      // Nothing readable at rest: no key bytes, no names, no phone numbers.
      const rows = await prisma.whatsAppAuth.findMany({ where: { session: "main" } });
      expect(rows).toHaveLength(1 + Object.values(written).flatMap(Object.keys).length);
      const session = (written.session as Record<string, Uint8Array>)["628123@s.whatsapp.net.0"]!;
      for (const row of rows) {
        const stored = Buffer.from(row.value);
        expect(stored.includes(Buffer.from("PKI Makassar"))).toBe(false);
        expect(stored.includes(Buffer.from("6281234567890"))).toBe(false);
        expect(stored.includes(Buffer.from(session).subarray(0, 16))).toBe(false);
      }
    } finally {
      await database.cleanup();
    }
  });

  it("deletes keys set to null, keeps sessions apart, and clears a logged-out session", async () => {
    const database = await openTestDatabase(kind);
    try {
      const prisma = database.db.prisma;
      const a = await useDatabaseAuthState(prisma, "a", KEY);
      const b = await useDatabaseAuthState(prisma, "b", KEY);
      await a.state.keys.set({ "pre-key": { "1": keyPair(), "2": keyPair() } });
      await b.state.keys.set({ "pre-key": { "1": keyPair() } });
      await a.state.keys.set({ "pre-key": { "1": null, "3": keyPair() } });
      expect(Object.keys(await a.state.keys.get("pre-key", ["1", "2", "3"])).sort()).toEqual([
        "2",
        "3",
      ]);
      expect(Object.keys(await b.state.keys.get("pre-key", ["1"]))).toEqual(["1"]);
      await a.saveCreds();
      await a.clear();
      expect(await prisma.whatsAppAuth.count({ where: { session: "a" } })).toBe(0);
      expect(await prisma.whatsAppAuth.count({ where: { session: "b" } })).toBe(1);
      // Logged out: the next start makes new credentials (pair again).
      const fresh = await useDatabaseAuthState(prisma, "a", KEY);
      expect(fresh.state.creds.registered).toBe(false);
    } finally {
      await database.cleanup();
    }
  });

  it("takes concurrent writes, the last write of a key winning", async () => {
    const database = await openTestDatabase(kind);
    try {
      const store = await useDatabaseAuthState(database.db.prisma, "main", KEY);
      const writes = Array.from({ length: 20 }, (_, i) =>
        store.state.keys.set({
          session: { [`peer-${i % 5}`]: new Uint8Array([i]) },
          "pre-key": { [String(100 + i)]: keyPair() },
        }),
      );
      await Promise.all(writes);
      const sessions = await store.state.keys.get(
        "session",
        Array.from({ length: 5 }, (_, i) => `peer-${i}`),
      );
      expect(Object.keys(sessions)).toHaveLength(5);
      const preKeys = await store.state.keys.get(
        "pre-key",
        Array.from({ length: 20 }, (_, i) => String(100 + i)),
      );
      expect(Object.keys(preKeys)).toHaveLength(20);
      // Sequential writes of one key: the last one is what is read.
      await store.state.keys.set({ session: { last: new Uint8Array([1]) } });
      await store.state.keys.set({ session: { last: new Uint8Array([2]) } });
      const last = await store.state.keys.get("session", ["last"]);
      expect(Array.from(last.last as Uint8Array)).toEqual([2]);
    } finally {
      await database.cleanup();
    }
  });
});

describe("WhatsApp auth encryption", () => {
  it("refuses to open with another key, or a value moved to another row", async () => {
    const database = await openTestDatabase("postgres");
    try {
      const prisma = database.db.prisma;
      const store = await useDatabaseAuthState(prisma, "main", KEY);
      await store.saveCreds();
      await store.state.keys.set({ "pre-key": { "1": keyPair(), "2": keyPair() } });
      await expect(useDatabaseAuthState(prisma, "main", randomBytes(32))).rejects.toThrow(
        SealError,
      );
      const one = await prisma.whatsAppAuth.findUniqueOrThrow({
        where: { session_type_id: { session: "main", type: "pre-key", id: "1" } },
      });
      await prisma.whatsAppAuth.update({
        where: { session_type_id: { session: "main", type: "pre-key", id: "2" } },
        data: { value: one.value },
      });
      await expect(store.state.keys.get("pre-key", ["2"])).rejects.toThrow(/does not open/);
    } finally {
      await database.cleanup();
    }
  });

  it("reads the key as hex or base64, 32 bytes only", () => {
    const key = randomBytes(32);
    expect(parseAuthKey(key.toString("hex"))).toEqual(key);
    expect(parseAuthKey(key.toString("base64"))).toEqual(key);
    expect(() => parseAuthKey("short")).toThrow(SealError);
    expect(() => parseAuthKey(randomBytes(16).toString("hex"))).toThrow(/32 bytes/);
    expect(initAuthCreds().registered).toBe(false);
  });
});
