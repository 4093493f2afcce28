import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idParams } from "../../src/features/handoffs/schema.ts";
import { apiOperations } from "../../src/web/api/openapi.ts";
import { apiRoutes } from "../../src/web/api/route.ts";
import { createWebServer, registeredRoutes } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await h.close();
});

describe("API description", () => {
  it("describes exactly the staff routes the server has, from the routes themselves", async () => {
    const api = registeredRoutes(app)
      .filter((r) => r.includes(" /api/v1/") && !r.startsWith("HEAD "))
      .map((r) => r.replace(/:(\w+)/g, "{$1}").replace(" /api/v1", " "))
      .sort();
    expect(api.length).toBeGreaterThan(20);
    expect(
      apiOperations(app)
        .map((e) => `${e.method} ${e.path}`)
        .sort(),
    ).toEqual(api);
    const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    const served = Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(served.sort()).toEqual(api);
  });

  it("refuses to start with an API route that does not describe itself, naming it", async () => {
    const server = () =>
      createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
    const bare = server();
    bare.register(async (api) => api.get("/extra", async () => ({})), { prefix: "/api/v1" });
    await expect(bare.ready()).rejects.toThrow("GET /api/v1/extra has no API description");
    await bare.close().catch(() => {});

    const noParams = server();
    noParams.register(
      async (api) => {
        const route = apiRoutes(api, h.deps);
        route({ method: "GET", url: "/extra/:id", summary: "x", ok: [200, "x"] }, async () => ({}));
      },
      { prefix: "/api/v1" },
    );
    await expect(noParams.ready()).rejects.toThrow(
      "GET /api/v1/extra/:id declares no schema for its path parameters",
    );
    await noParams.close().catch(() => {});

    const described = server();
    described.register(
      async (api) => {
        const route = apiRoutes(api, h.deps);
        route(
          { method: "GET", url: "/extra/:id", summary: "x", params: idParams, ok: [200, "x"] },
          async () => ({}),
        );
      },
      { prefix: "/api/v1" },
    );
    await described.ready();
    expect(apiOperations(described).map((e) => `${e.method} ${e.path}`)).toContain(
      "GET /extra/{id}",
    );
    await described.close();
  });

  it("serves an OpenAPI 3.1 document with bodies, parameters and errors", async () => {
    const res = await app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/vacancies"].post;
    expect(create.requestBody.content["application/json"].schema.properties.workMode.enum).toEqual([
      "onsite",
      "remote",
      "hybrid",
    ]);
    expect(Object.keys(create.responses)).toEqual([
      "201",
      "400",
      "401",
      "403",
      "404",
      "413",
      "415",
      "429",
    ]);
    // What a route answers when the record's state does not allow the action.
    expect(doc.paths["/trainings/{id}/cancel"].post.responses["409"].description).toBe(
      "The training is already cancelled",
    );
    expect(Object.keys(doc.paths["/seekers"].get.responses)).toEqual([
      "200",
      "400",
      "401",
      "403",
      "404",
      "429",
    ]);
    const list = doc.paths["/trainings"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(["status", "city", "limit", "cursor"]));
    expect(doc.paths["/vacancies/{id}/applications"].get.description).toContain("audit log");
  });

  it("marks signing in as the only route without a token", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    const login = doc.paths["/auth/login"].post;
    expect(login.security).toEqual([]);
    expect(Object.keys(login.responses)).toEqual(["200", "400", "401", "413", "415", "429"]);
    expect(login.requestBody.content["application/json"].schema.required).toEqual([
      "email",
      "password",
    ]);
    const open = Object.entries(
      doc.paths as Record<string, Record<string, { security: unknown[] }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.security.length === 0)
        .map(([method]) => `${method} ${path}`),
    );
    expect(open).toEqual(["post /auth/login"]);
    expect(doc.paths["/audit"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["actor", "action", "target", "since", "until", "limit", "cursor"]),
    );
  });

  it("serves a readable page without scripts", async () => {
    const res = await app.inject({ method: "GET", url: "/api/docs" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain("<h2><code>POST /api/v1/vacancies/{id}/publish</code></h2>");
    expect(res.body).not.toContain("<script");
    expect(res.body).toMatch(/POST \/api\/v1\/auth\/login<\/code><\/h2>[\s\S]*?Needs no token\./);
  });
});
