/** How trainings look in chat: list lines, details, reminders, with times in the right zone. */
import { cityByCode } from "../domain/cities.ts";
import { listPageReply, pageIds, refreshed } from "./browse.ts";
import type { Turn } from "./turn.ts";
import type {
  Catalog,
  ChoiceRef,
  DateParam,
  PersonView,
  Reply,
  ReplyParam,
  TrainingView,
} from "./types.ts";
import { shorten } from "./vacancy-replies.ts";

const DESCRIPTION_MAX = 400;
const DEFAULT_ZONE = "Asia/Jakarta";

/**
 * The zone a training's time is shown in: its city's, or for an online
 * training the person's own (every regency has one; WIB when the place is unknown).
 */
export function displayZone(t: TrainingView, person: PersonView): string {
  const own = cityByCode(person.profile?.cityCode ?? "")?.timeZone;
  if (t.online) return own ?? DEFAULT_ZONE;
  return cityByCode(t.cityCode)?.timeZone ?? DEFAULT_ZONE;
}

export const whenParam = (t: TrainingView, person: PersonView): DateParam => ({
  date: t.startsAt,
  timeZone: displayZone(t, person),
  time: true,
});

export function placeParam(t: TrainingView): ReplyParam {
  if (t.online) return { key: "training.online", params: { link: t.venue } };
  const city = cityByCode(t.cityCode)?.name ?? t.cityCode;
  return { key: "training.venue", params: { venue: t.venue, city } };
}

/** Upcoming trainings open for registration: in the person's city and online ones, soonest first. */
export function upcomingTrainings(person: PersonView, catalog: Catalog, now: Date): TrainingView[] {
  const city = person.profile?.cityCode;
  return catalog.trainings
    .filter(
      (t) =>
        Date.parse(t.registrationDeadline) > now.getTime() &&
        Date.parse(t.startsAt) > now.getTime() &&
        (!city || t.online || t.cityCode === city),
    )
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.ref - b.ref);
}

/** One line of the list: the details (venue, link) are one number away. */
export function trainingLine(t: TrainingView, person: PersonView): Omit<ChoiceRef, "id"> {
  const city = cityByCode(t.cityCode)?.name ?? t.cityCode;
  return {
    key: "training.item",
    params: {
      title: t.title,
      organizer: t.organizer,
      when: { ...whenParam(t, person), weekday: false },
      place: t.online ? { key: "training.onlineShort" } : city,
    },
  };
}

/** The current page of trainings; the snapshot is first brought up to date (see `refreshed`). */
export function trainingPageReply(turn: Turn): Reply {
  const offered = upcomingTrainings({ ...turn.person, profile: null }, turn.catalog(), turn.now);
  const byId = new Map(offered.map((t) => [t.id, t]));
  const browse = refreshed(turn.state.trainings ?? { ids: [], offset: 0 }, (id) => byId.has(id));
  turn.state.trainings = browse;
  const items = pageIds(browse).map((id) => {
    const t = byId.get(id)!;
    return { id: `training-${t.ref}`, ...trainingLine(t, turn.person) };
  });
  return listPageReply(browse, items, "training");
}

export type Standing = "enrolled" | "waitlisted" | "full" | "open";

export function standing(t: TrainingView, catalog: Catalog): Standing {
  const mine = catalog.enrollments.find((e) => e.trainingId === t.id);
  if (mine) return mine.status;
  return t.enrolled >= t.capacity ? "full" : "open";
}

export function trainingChoices(s: Standing): ChoiceRef[] {
  const first: Record<Standing, ChoiceRef> = {
    open: { id: "enrol", key: "training.enrol" },
    full: { id: "enrol", key: "training.joinWaitlist" },
    enrolled: { id: "unenrol", key: "training.unenrol" },
    waitlisted: { id: "unenrol", key: "training.leaveWaitlist" },
  };
  return [
    first[s],
    { id: "list", key: "training.backToList" },
    { id: "menu", key: "browse.toMenu" },
  ];
}

export function trainingDetailReply(t: TrainingView, turn: Turn): Reply {
  const catalog = turn.catalog();
  const s = standing(t, catalog);
  const accommodations: ReplyParam =
    t.accommodations.length > 0
      ? { list: t.accommodations.map((c) => ({ key: `accommodation.${c}` })) }
      : { key: "training.noAccommodations" };
  const seats: ReplyParam =
    t.enrolled >= t.capacity
      ? { key: "training.seatsFull", params: { waiting: t.waiting } }
      : {
          key: "training.seatsLeft",
          params: { left: t.capacity - t.enrolled, capacity: t.capacity },
        };
  return {
    key: "training.detail",
    params: {
      ref: t.ref,
      title: t.title,
      organizer: t.organizer,
      when: whenParam(t, turn.person),
      hours: Math.round((t.durationMinutes / 60) * 10) / 10,
      place: placeParam(t),
      accommodations,
      seats,
      deadline: { date: t.registrationDeadline, timeZone: displayZone(t, turn.person), time: true },
      description: shorten(t.description, DESCRIPTION_MAX),
      status: { key: `training.standing.${s}` },
    },
    choices: trainingChoices(s),
  };
}

/** The reminder itself: when and where, then "1 hadir / 2 berhalangan". */
export function reminderReply(t: TrainingView, person: PersonView): Reply {
  return {
    key: "training.reminder",
    params: {
      title: t.title,
      when: whenParam(t, person),
      place: placeParam(t),
    },
    choices: [
      { id: "attending", key: "training.attending" },
      { id: "absent", key: "training.absent" },
    ],
  };
}
