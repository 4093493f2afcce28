import type { PrismaClient } from "../../src/db/types.ts";
import type { Profile } from "../../src/engine/types.ts";
import type { Channel, PersonStatus } from "../../src/generated/prisma/client.ts";
import { profileColumns } from "../../src/runner/person-view.ts";

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
