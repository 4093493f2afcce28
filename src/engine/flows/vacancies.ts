import { matchVacancy } from "../../domain/matching.ts";
import { type Listing, openListItem, showListPage } from "../browse.ts";
import { phraseSet, phrases, VACANCY_WORDS } from "../command-words.ts";
import { sharingNotice } from "../sharing.ts";
import type { Turn } from "../turn.ts";
import type { VacancyView } from "../types.ts";
import {
  detailChoices,
  detailReply,
  pageReply,
  rankVacancies,
  vacancyLine,
} from "../vacancy-replies.ts";
import { lookupWord } from "../words.ts";

/** Lines shown when new matches are announced after registration or a profile change. */
const ANNOUNCE_MAX = 3;

const LIST_WORDS = phraseSet(VACANCY_WORDS.list);
const APPLY_WORDS = phraseSet(VACANCY_WORDS.apply);
const WITHDRAW_WORDS = phraseSet(VACANCY_WORDS.withdraw);

export type VacancyCommand = { verb: "show" | "apply" | "withdraw"; ref: number };

/** The words before a vacancy's number, by what they do. */
export const COMMAND_WORDS: ReadonlyMap<string, VacancyCommand["verb"]> = new Map([
  ...[...APPLY_WORDS].map((w): [string, VacancyCommand["verb"]] => [w, "apply"]),
  ...[...WITHDRAW_WORDS].map((w): [string, VacancyCommand["verb"]] => [w, "withdraw"]),
  ...phrases(VACANCY_WORDS.show).map((w): [string, VacancyCommand["verb"]] => [w, "show"]),
]);
/** Real words one slip from a command word. */
const NOT_COMMANDS: ReadonlySet<string> = new Set(["minta", "lihar"]);

/**
 * A vacancy named by its number, written anywhere: "minat 12" (interested),
 * "lowongan 12" (details), "batal minat 12" (withdraw). Pushed messages tell
 * people to write these.
 */
export function vacancyCommand(text: string): VacancyCommand | undefined {
  const m = /^(.+?) (?:nomor |no |number |#)?(\d{1,7})$/u.exec(text);
  if (!m) return undefined;
  const [, word, digits] = m as unknown as [string, string, string];
  const verb = lookupWord(word, COMMAND_WORDS, { stop: NOT_COMMANDS });
  return verb ? { verb, ref: Number(digits) } : undefined;
}

export function runVacancyCommand(turn: Turn, command: VacancyCommand): void {
  const vacancy = find(turn, { ref: command.ref });
  if (!vacancy) {
    turn.say({ key: "vacancy.notFound", params: { ref: command.ref } }).go("menu", "main");
    return;
  }
  if (command.verb === "show") return showDetail(turn, vacancy);
  if (command.verb === "apply") return apply(turn, vacancy);
  return withdraw(turn, vacancy);
}

/** The menu item: matching open vacancies, best first, a page at a time. */
export function openVacancies(turn: Turn): void {
  const ranked = rankVacancies(turn.person, turn.catalog(), turn.now);
  if (ranked.length === 0) {
    turn.state.browse = undefined;
    turn
      .say({ key: turn.person.profile ? "vacancy.noneForYou" : "vacancy.none" })
      .go("menu", "main");
    return;
  }
  turn.state.browse = { ids: ranked.map((r) => r.vacancy.id), offset: 0 };
  if (!turn.person.profile) turn.say({ key: "vacancy.unregistered" });
  showPage(turn);
}

/** Vacancies as people browse them: the list and details answered in flows/navigation.ts. */
export const VACANCIES: Listing<VacancyView> = {
  flow: "vacancies",
  slot: "browse",
  open: openVacancies,
  pageReply,
  shown: markShown,
  find,
  show: showDetail,
  noMore: "vacancy.noMore",
  listHint: "vacancy.hintList",
  taken: (turn, vacancy) => turn.catalog().applied.includes(vacancy.id),
  take: apply,
  giveUp: withdraw,
  takeWords: APPLY_WORDS,
  giveUpWords: WITHDRAW_WORDS,
  listWords: LIST_WORDS,
};

const showPage = (turn: Turn) => showListPage(turn, VACANCIES);

/** Shown in chat counts as seen: it is not pushed to them later. */
function markShown(turn: Turn, ids: string[]): void {
  if (!turn.person.profile) return;
  const catalog = turn.catalog();
  const fresh = ids.filter((id) => !catalog.seen.includes(id));
  if (fresh.length === 0) return;
  const profile = turn.person.profile as Parameters<typeof matchVacancy>[0];
  const score = (id: string) => {
    const vacancy = catalog.vacancies.find((v) => v.id === id);
    const match = vacancy && matchVacancy(profile, vacancy);
    return match?.ok ? match.score : 0;
  };
  turn.effect({
    type: "markSeen",
    matches: fresh.map((vacancyId) => ({ vacancyId, score: score(vacancyId) })),
  });
}

/** An open vacancy whose deadline is still ahead, by id or by the number people type. */
function find(turn: Turn, key: { id: string } | { ref: number }): VacancyView | undefined {
  const v = turn
    .catalog()
    .vacancies.find((x) => ("id" in key ? x.id === key.id : x.ref === key.ref));
  return v && Date.parse(v.deadline) > turn.now.getTime() ? v : undefined;
}

/** The vacancy whose details (and "1 minat / batal") the next answer is about. */
const openDetail = (turn: Turn, vacancy: VacancyView) => openListItem(turn, VACANCIES, vacancy);

function showDetail(turn: Turn, vacancy: VacancyView): void {
  openDetail(turn, vacancy);
  turn.say(detailReply(vacancy, turn.catalog()));
  markShown(turn, [vacancy.id]);
}

function apply(turn: Turn, vacancy: VacancyView): void {
  openDetail(turn, vacancy);
  if (!turn.person.profile) {
    turn.say({ key: "vacancy.registerFirst" }).go("menu", "main");
    return;
  }
  if (turn.catalog().applied.includes(vacancy.id)) {
    turn.say({
      key: "vacancy.alreadyApplied",
      params: { title: vacancy.title },
      choices: detailChoices(true),
    });
    return;
  }
  turn.effect({ type: "apply", vacancyId: vacancy.id });
  turn.say(
    {
      key: "vacancy.applied",
      params: { title: vacancy.title, employer: vacancy.employer, howToApply: vacancy.howToApply },
    },
    sharingNotice(turn.person, vacancy.cityCode, detailChoices(true)),
  );
}

function withdraw(turn: Turn, vacancy: VacancyView): void {
  openDetail(turn, vacancy);
  if (!turn.catalog().applied.includes(vacancy.id)) {
    turn.say({
      key: "vacancy.notApplied",
      params: { title: vacancy.title },
      choices: detailChoices(false),
    });
    return;
  }
  turn.effect({ type: "withdraw", vacancyId: vacancy.id });
  turn.say({
    key: "vacancy.withdrawn",
    params: { title: vacancy.title, ref: vacancy.ref },
    choices: detailChoices(false),
  });
}

/**
 * After registering or changing the profile: open vacancies that now match
 * and were never shown or pushed. Up to three are named, and those count as seen.
 */
export function announceNewMatches(turn: Turn): void {
  if (!turn.person.profile) return;
  const catalog = turn.catalog();
  const fresh = rankVacancies(turn.person, catalog, turn.now).filter(
    (r) => !catalog.seen.includes(r.vacancy.id) && !catalog.applied.includes(r.vacancy.id),
  );
  if (fresh.length === 0) return;
  const shown = fresh.slice(0, ANNOUNCE_MAX);
  turn.say({
    key: "vacancy.newMatches",
    params: {
      count: fresh.length,
      // Not numbered: the numbers people type are those of the list "lowongan" opens.
      lines: { lines: shown.map((r) => vacancyLine(r.vacancy)) },
    },
  });
  turn.effect({
    type: "markSeen",
    matches: shown.map((r) => ({ vacancyId: r.vacancy.id, score: r.score })),
  });
}
