import type { PrismaClient } from "../../src/db/types.ts";
import { createTraining } from "../../src/features/trainings/mutations.ts";
import { createBody } from "../../src/features/trainings/schema.ts";
import { STAFF } from "./vacancies.ts";

/** A valid training body (API names), with overrides. */
export function trainingBody(over: Record<string, unknown> = {}) {
  return {
    title: "Menjahit Tingkat Dasar",
    organizer: "BLK Makassar",
    city: "7371",
    online: false,
    venue: "Jl. Urip Sumoharjo 5",
    startsAt: "2027-01-11T09:00:00+08:00",
    durationMinutes: 240,
    capacity: 16,
    accommodations: ["sign_interpreter"],
    description: "Dasar menjahit pakaian.",
    ...over,
  };
}

export async function createdTraining(
  prisma: PrismaClient,
  over: Record<string, unknown> = {},
  now = new Date(),
) {
  const result = await createTraining(prisma, createBody.parse(trainingBody(over)), STAFF, now);
  if (!result.ok) throw new Error(result.message);
  return result.training;
}
