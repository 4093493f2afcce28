import type { PrismaClient } from "../../src/db/types.ts";
import type { Profile } from "../../src/engine/types.ts";
import { profileColumns } from "../../src/features/seekers/profile.ts";
import type { Channel, PersonStatus } from "../../src/generated/prisma/client.ts";

export interface SeekerSpec {
  profile?: Partial<Profile>;
  status?: PersonStatus;
  language?: string;
  plainLanguage?: boolean;
  /** The latest data consent (default given). */
  consent?: boolean;
  reachable?: boolean;
  channel?: Channel;
  externalId?: string;
}

export const BASE_PROFILE: Profile = {
  fullName: "Seeker",
  cityCode: "7371",
  disabilityCategories: [],
  disabilityDeclined: false,
  education: "sma",
  skills: [],
  jobTypes: [],
  workModes: [],
  accommodations: [],
  communication: ["text"],
};

let counter = 0;

/** A registered job seeker as the chat would leave them: person, address, consent, profile. */
export async function createSeeker(prisma: PrismaClient, spec: SeekerSpec = {}) {
  counter += 1;
  const profile = { ...BASE_PROFILE, ...spec.profile };
  const person = await prisma.person.create({
    data: {
      status: spec.status ?? "active",
      language: spec.language ?? "id",
      plainLanguage: spec.plainLanguage ?? false,
      channels: {
        create: {
          channel: spec.channel ?? "console",
          externalId: spec.externalId ?? `seeker-${process.pid}-${counter}-${Math.random()}`,
          reachable: spec.reachable ?? true,
        },
      },
      consents: {
        create: [
          { purpose: "data", granted: true, textVersion: "t", channel: "console" },
          ...(spec.consent === false
            ? [
                {
                  purpose: "data",
                  granted: false,
                  textVersion: "t",
                  channel: "console" as const,
                  createdAt: new Date(Date.now() + 1000),
                },
              ]
            : []),
        ],
      },
      profile: {
        create: profileColumns(profile) as Parameters<
          PrismaClient["seekerProfile"]["create"]
        >[0]["data"] &
          object,
      },
    },
    include: { channels: true },
  });
  return { personId: person.id, account: person.channels[0]!, profile };
}

/**
 * SQL that registers `count` seekers at once, with console addresses
 * `<prefix>0`, `<prefix>1`, ... in one city (for crash tests and benchmarks).
 */
export function insertSeekersSql(
  count: number,
  addressPrefix: string,
  cityCode = "7371",
  channel: Channel = "console",
): string {
  return `
    WITH p AS (
      INSERT INTO "Person" (id, "updatedAt")
      SELECT gen_random_uuid(), now() FROM generate_series(1, ${count}) RETURNING id),
    n AS (SELECT id, row_number() OVER () - 1 AS i FROM p),
    a AS (INSERT INTO "ChannelAccount" (id, "personId", channel, "externalId")
          SELECT gen_random_uuid(), id, '${channel}', '${addressPrefix}' || i FROM n),
    c AS (INSERT INTO "ConsentRecord" (id, "personId", purpose, granted, "textVersion", channel)
          SELECT gen_random_uuid(), id, 'data', true, 't', 'console' FROM n)
    INSERT INTO "SeekerProfile" ("personId", "fullName", "cityCode", education, "updatedAt")
    SELECT id, 'Seeker ' || i, '${cityCode}', 'sma', now() FROM n`;
}
