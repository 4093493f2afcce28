/**
 * What `npm start` prints once it is ready: where everything is and what to
 * do next, in a few lines a new user can read (and a screen reader can speak).
 */
import type { Services } from "./boot.ts";
import type { Env } from "./env.ts";
import { setupUrl } from "./features/staff/commands.ts";
import { issueSetupLink, SETUP_LINK_MINUTES } from "./features/staff/setup.ts";

/** Where the console answers, as a person on this machine opens it. */
export function consoleUrl(env: Pick<Env, "host" | "port">): string {
  const host = env.host === "0.0.0.0" || env.host === "::" ? "localhost" : env.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.port}/console`;
}

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

export async function startBanner(
  env: Env,
  services: Services,
  web: boolean,
  now = new Date(),
): Promise<string> {
  // Only while no admin exists: a new one-time link each start (the older ones end).
  const setup = await issueSetupLink(services.db.prisma, now);
  const lines = [
    "IJC Bot is running.",
    `  Roles:    ${env.roles.join(", ")}`,
    `  Database: ${services.db.kind === "embedded" ? `embedded, in ${services.db.location}` : `PostgreSQL at ${services.db.location}`}`,
    `  Redis:    ${redisLine(services.redisTarget)} (queues ${services.prefix})`,
    ...(web ? [`  Console:  ${consoleUrl(env)}`] : []),
    "  Chat as a job seeker: npm run chat",
    ...(setup
      ? [
          "  No staff admin yet.",
          ...(web
            ? [
                `  Choose the first admin in your browser (this link works once, for ${SETUP_LINK_MINUTES} minutes):`,
                `    ${setupUrl(consoleUrl(env), setup.token)}`,
              ]
            : []),
          '  Or at the command line: npm run staff -- create-admin --email you@example.org --name "Your Name"',
        ]
      : []),
  ];
  return lines.join("\n");
}
