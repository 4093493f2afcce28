/**
 * The staff API's WhatsApp routes and the service endpoints' WhatsApp state,
 * with the gateway's side played through the same Redis records it writes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createToken } from "../../src/features/staff/tokens.ts";
import { SendCircuit } from "../../src/features/whatsapp/circuit.ts";
import { WhatsAppControl } from "../../src/features/whatsapp/status.ts";
import { createWebServer } from "../../src/web/server.ts";
import { apiCaller } from "../helpers/api.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let bare: ReturnType<typeof createWebServer>;
let control: WhatsAppControl;
let circuit: SendCircuit;
const tokens: Record<string, string> = {};
let api: ReturnType<typeof apiCaller>;

beforeAll(async () => {
  h = await createHarness();
  control = new WhatsAppControl(h.redis, h.prefix, "pki");
  circuit = new SendCircuit(h.redis, h.prefix);
  const deps = { prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log };
  app = createWebServer({ ...deps, whatsapp: { control, circuit } });
  bare = createWebServer(deps);
  Object.assign(tokens, await staffTokens(h.prisma));
  // An admin of all cities: the number speaks for every city ("bandung" is an admin of one).
  tokens.admin = (await createToken(h.prisma, { name: "adm", role: "admin", cities: [] })).token;
  api = apiCaller(app, tokens);
});
afterAll(async () => {
  await app.close();
  await bare.close();
  await h.close();
});
beforeEach(async () => {
  await control.clearStatus();
  await control.takeRequest();
  await circuit.close();
});

const since = "2026-12-01T02:00:00.000Z";
const audited = (action: string) => h.prisma.auditLog.count({ where: { action } });

describe("WhatsApp in the staff API", () => {
  it("is for admins only", async () => {
    expect((await api("GET", "/whatsapp", "all")).statusCode).toBe(403);
    expect((await api("POST", "/whatsapp/resume", "all", {})).statusCode).toBe(403);
  });

  it("lets an admin of some cities read the state, but not pair, connect or resume", async () => {
    const before = await h.prisma.auditLog.count();
    await control.writeStatus({ state: "pairing", since, qr: "2@abcdef,ghijk==" }, 30_000);
    expect((await api("GET", "/whatsapp", "bandung")).json()).toMatchObject({
      state: "pairing",
      pairing: { by: "qr" },
    });
    const refused = [
      await api("GET", "/whatsapp/qr.png", "bandung"),
      await api("POST", "/whatsapp/pairing-code", "bandung", { phone: "6281100000000" }),
    ];
    await control.writeStatus({ state: "logged_out", since }, 30_000);
    refused.push(await api("POST", "/whatsapp/connect", "bandung", {}));
    await circuit.open("error 463", new Date(since));
    refused.push(await api("POST", "/whatsapp/resume", "bandung", {}));
    for (const res of refused) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error).toEqual({
        code: "forbidden",
        message: expect.stringContaining("needs an admin of all cities"),
      });
    }
    expect(await control.takeRequest()).toBeNull();
    expect(await circuit.state()).not.toBeNull();

    // A pairing code links the number: an admin of some cities sees that one is shown, not it.
    await control.writeStatus({ state: "pairing", since, pairingCode: "ABCD-1234" }, 30_000);
    const overview = await api("GET", "/whatsapp", "bandung");
    expect(overview.json().pairing).toEqual({ by: "code" });
    expect(overview.body).not.toContain("ABCD");
    expect(await h.prisma.auditLog.count()).toBe(before);
  });

  it("tells whether WhatsApp is configured and whether a gateway runs", async () => {
    const none = await apiCaller(bare, tokens)("GET", "/whatsapp", "admin");
    expect(none.json()).toEqual({
      state: "not_configured",
      since: null,
      restricted: null,
      pairing: null,
      retryInMs: null,
    });
    expect((await api("GET", "/whatsapp", "admin")).json().state).toBe("not_running");
    await control.writeStatus({ state: "reconnecting", since, retryInMs: 4000 }, 30_000);
    expect((await api("GET", "/whatsapp", "admin")).json()).toEqual({
      state: "reconnecting",
      since,
      restricted: null,
      pairing: null,
      retryInMs: 4000,
    });
  });

  it("serves the pairing QR code as a PNG to admins, recorded, and 404 when there is none", async () => {
    expect((await api("GET", "/whatsapp/qr.png", "admin")).statusCode).toBe(404);
    await control.writeStatus({ state: "pairing", since, qr: "2@abcdef,ghijk==" }, 30_000);
    expect((await api("GET", "/whatsapp", "admin")).json().pairing).toEqual({ by: "qr" });
    const before = await audited("whatsapp.qr");
    const png = await api("GET", "/whatsapp/qr.png", "admin");
    expect(png.statusCode).toBe(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.headers["cache-control"]).toBe("no-store");
    expect(png.rawPayload.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(await audited("whatsapp.qr")).toBe(before + 1);
    // The QR text itself is never in the JSON: only the image, only for admins.
    expect((await api("GET", "/whatsapp", "admin")).body).not.toContain("abcdef");
  });

  it("passes a pairing-code request to the gateway, after checking the number", async () => {
    await control.writeStatus({ state: "pairing", since, qr: "2@x" }, 30_000);
    const wrong = await api("POST", "/whatsapp/pairing-code", "admin", { phone: "0812" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe("validation_failed");
    expect(await control.takeRequest()).toBeNull();

    const ok = await api("POST", "/whatsapp/pairing-code", "admin", {
      phone: "+62 811-0000-0000",
    });
    expect(ok.statusCode).toBe(202);
    expect(await control.takeRequest()).toEqual({ kind: "pair", phone: "6281100000000" });

    await control.writeStatus({ state: "pairing", since, pairingCode: "ABCD-1234" }, 30_000);
    expect((await api("GET", "/whatsapp", "admin")).json().pairing).toEqual({
      by: "code",
      code: "ABCD-1234",
    });
    await control.writeStatus({ state: "open", since }, 30_000);
    const connected = await api("POST", "/whatsapp/pairing-code", "admin", {
      phone: "6281100000000",
    });
    expect(connected.statusCode).toBe(409);
  });

  it("asks the gateway to connect again after a stop", async () => {
    await control.writeStatus({ state: "logged_out", since }, 30_000);
    const res = await api("POST", "/whatsapp/connect", "admin", {});
    expect(res.statusCode).toBe(202);
    expect(await control.takeRequest()).toEqual({ kind: "connect" });
    expect(await audited("whatsapp.connect")).toBeGreaterThan(0);
    const none = await apiCaller(bare, tokens)("POST", "/whatsapp/connect", "admin", {});
    expect(none.statusCode).toBe(409);
  });

  it("resumes sending after a restriction only when it is stopped, recorded with the reason", async () => {
    expect((await api("POST", "/whatsapp/resume", "admin", {})).statusCode).toBe(409);
    await circuit.open("error 463", new Date(since));
    expect((await api("GET", "/whatsapp", "admin")).json().restricted).toEqual({
      reason: "error 463",
      at: since,
    });
    const res = await api("POST", "/whatsapp/resume", "admin", {});
    expect(res.statusCode).toBe(200);
    expect(await circuit.state()).toBeNull();
    const entry = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: "whatsapp.resume" },
    });
    expect(entry.details).toEqual({ reason: "error 463" });
  });
});

describe("WhatsApp in /readyz and /metrics", () => {
  it("shows the connection state without making the web role unready", async () => {
    await control.writeStatus({ state: "logged_out", since }, 30_000);
    await circuit.open("account restricted", new Date(since));
    const ready = await app.inject("/readyz");
    expect(ready.statusCode).toBe(200);
    expect(ready.json().whatsapp).toEqual({ state: "logged_out", since, restricted: true });
    const metrics = (await app.inject("/metrics")).body;
    expect(metrics).toContain('ijc_whatsapp_connection{state="logged_out"} 1');
    expect(metrics).toContain('ijc_whatsapp_connection{state="open"} 0');
    expect(metrics).toContain("ijc_whatsapp_sending_stopped 1");
    expect((await bare.inject("/readyz")).json().whatsapp.state).toBe("not_configured");
  });
});
