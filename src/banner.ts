/**
 * What `npm start` prints once it is ready: where everything is and what to
 * do next, in a few lines a new user can read (and a screen reader can speak).
 */
import type { Services } from "./boot.ts";
import type { Env } from "./env.ts";

/** A Redis URL without its password, safe to print. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || "6379"}${u.pathname.length > 1 ? u.pathname : ""}`;
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

function redisLine(target: Services["redisTarget"]): string {
  if (target.source === "own") return `its own, in the data folder (${target.url})`;
  if (target.source === "data folder") return `the data folder's (${target.url})`;
  return describeRedisUrl(target.url);
}

export async function startBanner(env: Env, services: Services, web: boolean): Promise<string> {
  const host = env.host === "0.0.0.0" || env.host === "::" ? "localhost" : env.host;
  const admins = await services.db.prisma.staffUser.count({ where: { role: "admin" } });
  const lines = [
    "IJC Bot is running.",
    `  Roles:    ${env.roles.join(", ")}`,
    `  Database: ${services.db.kind === "embedded" ? `embedded, in ${services.db.location}` : `PostgreSQL at ${services.db.location}`}`,
    `  Redis:    ${redisLine(services.redisTarget)} (queues ${services.prefix})`,
    ...(web ? [`  Console:  http://${host}:${env.port}/console`] : []),
    "  Chat as a job seeker: npm run chat",
    ...(admins === 0
      ? [
          '  No staff admin yet. Make one: npm run staff -- create-admin --email you@example.org --name "Your Name"',
        ]
      : []),
  ];
  return lines.join("\n");
}
