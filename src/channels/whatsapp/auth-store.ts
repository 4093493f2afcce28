/**
 * Baileys' AuthenticationState kept in the database instead of files: the
 * credentials and every signal key, encrypted, written durably before the
 * call resolves (Baileys may send right after), so a restart resumes the
 * session without pairing again. Several writes at once are fine: each key
 * is one row, upserted.
 */
import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
} from "@whiskeysockets/baileys";
import type { PrismaClient, Tx } from "../../db/types.ts";
import { open, seal } from "./sealed.ts";

const CREDS = "creds";

export interface DatabaseAuth {
  state: AuthenticationState;
  /** Stores the credentials (call on every `creds.update`). */
  saveCreds(): Promise<void>;
  /** Forgets the whole session (logged out: pair again). */
  clear(): Promise<void>;
}

const rowName = (session: string, type: string, id: string) => `${session}/${type}/${id}`;

/** Many rows in one statement, each replacing what was stored under its name. */
async function upsert(
  db: PrismaClient | Tx,
  session: string,
  rows: { type: string; id: string; value: Buffer }[],
) {
  if (rows.length === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "WhatsAppAuth" (session, type, id, value, "updatedAt")
     SELECT $1, u.t, u.i, u.v, now() FROM unnest($2::text[], $3::text[], $4::bytea[]) AS u(t, i, v)
     ON CONFLICT (session, type, id) DO UPDATE SET value = excluded.value, "updatedAt" = now()`,
    session,
    rows.map((r) => r.type),
    rows.map((r) => r.id),
    rows.map((r) => r.value),
  );
}

export async function useDatabaseAuthState(
  prisma: PrismaClient,
  session: string,
  key: Buffer,
): Promise<DatabaseAuth> {
  const read = (type: string, id: string, value: Uint8Array) =>
    JSON.parse(open(key, value, rowName(session, type, id)), BufferJSON.reviver);
  const write = (type: string, id: string, value: unknown) =>
    seal(key, JSON.stringify(value, BufferJSON.replacer), rowName(session, type, id));

  const stored = await prisma.whatsAppAuth.findUnique({
    where: { session_type_id: { session, type: CREDS, id: "" } },
  });
  const creds: AuthenticationCreds = stored ? read(CREDS, "", stored.value) : initAuthCreds();

  return {
    state: {
      creds,
      keys: {
        async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
          const rows = await prisma.whatsAppAuth.findMany({
            where: { session, type, id: { in: ids } },
          });
          const found: { [id: string]: SignalDataTypeMap[T] } = {};
          for (const row of rows) {
            let value = read(type, row.id, row.value);
            if (type === "app-state-sync-key" && value)
              value = proto.Message.AppStateSyncKeyData.fromObject(value);
            found[row.id] = value;
          }
          return found;
        },
        async set(data: SignalDataSet) {
          const rows: { type: string; id: string; value: Buffer }[] = [];
          const gone: { type: string; id: string }[] = [];
          for (const [type, entries] of Object.entries(data)) {
            for (const [id, value] of Object.entries(entries ?? {})) {
              if (value === null || value === undefined) gone.push({ type, id });
              else rows.push({ type, id, value: write(type, id, value) });
            }
          }
          // One transaction: a crash keeps all of this update or none of it.
          await prisma.$transaction(async (tx) => {
            if (gone.length > 0)
              await tx.whatsAppAuth.deleteMany({
                where: { session, OR: gone.map((g) => ({ type: g.type, id: g.id })) },
              });
            await upsert(tx, session, rows);
          });
        },
        async clear() {
          await prisma.whatsAppAuth.deleteMany({ where: { session, NOT: { type: CREDS } } });
        },
      },
    },
    async saveCreds() {
      await upsert(prisma, session, [{ type: CREDS, id: "", value: write(CREDS, "", creds) }]);
    },
    async clear() {
      await prisma.whatsAppAuth.deleteMany({ where: { session } });
    },
  };
}
