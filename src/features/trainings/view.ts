import type { TrainingView } from "../../engine/types.ts";
import type { Training } from "../../generated/prisma/client.ts";

/** A training row as the engine and messages show it, with its seats taken and waiting now. */
export function toTrainingView(t: Training, enrolled: number, waiting: number): TrainingView {
  return {
    id: t.id,
    ref: t.ref,
    title: t.title,
    organizer: t.organizer,
    cityCode: t.cityCode,
    online: t.online,
    venue: t.venue,
    startsAt: t.startsAt.toISOString(),
    registrationDeadline: t.registrationDeadline.toISOString(),
    durationMinutes: t.durationMinutes,
    capacity: t.capacity,
    enrolled,
    waiting,
    accommodations: t.accommodations,
    description: t.description,
  };
}
