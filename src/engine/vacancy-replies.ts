/**
 * How vacancies look in chat: list lines, details, the choices under them.
 * Used by the vacancies flow and by `currentPrompt` (for "ulangi").
 */
import { cityByCode } from "../domain/cities.ts";
import { byBestMatch, matchVacancy } from "../domain/matching.ts";
import { listPageReply, pageIds, refreshed } from "./browse.ts";
import type { Turn } from "./turn.ts";
import type {
  Catalog,
  ChoiceRef,
  DateParam,
  PersonView,
  Reply,
  ReplyParam,
  VacancyView,
} from "./types.ts";

/** Characters of a description shown in chat (a screen reader reads all of it). */
const DESCRIPTION_MAX = 400;

/** Cuts long text at a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface Ranked {
  vacancy: VacancyView;
  score: number;
}

/**
 * The open vacancies for this person, best first: those matching their
 * profile, or every open one (soonest deadline first) for someone without one.
 */
export function rankVacancies(person: PersonView, catalog: Catalog, now: Date): Ranked[] {
  const open = catalog.vacancies.filter((v) => Date.parse(v.deadline) > now.getTime());
  const profile = person.profile;
  const ranked: Ranked[] = [];
  for (const vacancy of open) {
    if (!profile) {
      ranked.push({ vacancy, score: 0 });
      continue;
    }
    const match = matchVacancy(profile as Parameters<typeof matchVacancy>[0], vacancy);
    if (match.ok) ranked.push({ vacancy, score: match.score });
  }
  const key = (r: Ranked) => ({
    score: r.score,
    deadline: new Date(r.vacancy.deadline),
    ref: r.vacancy.ref,
  });
  return ranked.sort((a, b) => byBestMatch(key(a), key(b)));
}

export function zoneOf(cityCode: string): string {
  return cityByCode(cityCode)?.timeZone ?? "Asia/Jakarta";
}

export function placeParam(v: VacancyView): ReplyParam {
  const city = cityByCode(v.cityCode)?.name ?? v.cityCode;
  return { key: `vacancy.place.${v.workMode}`, params: { city } };
}

export function deadlineParam(v: VacancyView): DateParam {
  return { date: v.deadline, timeZone: zoneOf(v.cityCode) };
}

/** One line about a vacancy: title, employer, place, deadline (no weekday: lines are heard in a row). */
export function vacancyLine(v: VacancyView): Omit<ChoiceRef, "id"> {
  return {
    key: "vacancy.item",
    params: {
      title: v.title,
      employer: v.employer,
      place: placeParam(v),
      deadline: { ...deadlineParam(v), weekday: false },
    },
  };
}

/** The current page of vacancies; the snapshot is first brought up to date (see `refreshed`). */
export function pageReply(turn: Turn): Reply {
  const now = turn.now.getTime();
  const byId = new Map(
    turn
      .catalog()
      .vacancies.filter((v) => Date.parse(v.deadline) > now)
      .map((v) => [v.id, v]),
  );
  const browse = refreshed(turn.state.browse ?? { ids: [], offset: 0 }, (id) => byId.has(id));
  turn.state.browse = browse;
  const items = pageIds(browse).map((id) => {
    const v = byId.get(id)!;
    return { id: `vacancy-${v.ref}`, ...vacancyLine(v) };
  });
  return listPageReply(browse, items, "vacancy");
}

export function detailChoices(applied: boolean): ChoiceRef[] {
  return [
    applied ? { id: "withdraw", key: "vacancy.withdraw" } : { id: "apply", key: "vacancy.apply" },
    { id: "list", key: "vacancy.backToList" },
    { id: "menu", key: "browse.toMenu" },
  ];
}

export function detailReply(v: VacancyView, catalog: Catalog): Reply {
  const none: ReplyParam = { key: "value.none" };
  const list = (codes: string[], prefix: string): ReplyParam =>
    codes.length > 0 ? { list: codes.map((c) => ({ key: `${prefix}.${c}` })) } : none;
  const accommodations: ReplyParam[] = v.accommodations.map((c) => ({ key: `accommodation.${c}` }));
  if (v.accessibilityNote) accommodations.push(v.accessibilityNote);
  return {
    key: "vacancy.detail",
    params: {
      title: v.title,
      employer: v.employer,
      ref: v.ref,
      place: placeParam(v),
      education:
        v.minEducation === "below_sd"
          ? { key: "vacancy.anyEducation" }
          : { key: "vacancy.atLeast", params: { level: { key: `education.${v.minEducation}` } } },
      skills: v.skills.length > 0 ? { list: v.skills } : none,
      suitable:
        v.suitableFor.length > 0
          ? list(v.suitableFor, "category.short")
          : { key: "vacancy.allCategories" },
      accommodations: accommodations.length > 0 ? { list: accommodations } : none,
      openings: v.openings,
      wage: v.wage ?? { key: "vacancy.wageUnknown" },
      deadline: deadlineParam(v),
      description: shorten(v.description, DESCRIPTION_MAX),
    },
    choices: detailChoices(catalog.applied.includes(v.id)),
  };
}
