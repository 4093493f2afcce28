/**
 * Lists people page through (vacancies, trainings): a snapshot of ids, shown
 * a page at a time. A line's number is its place in the whole list (the
 * second page goes on from 6), so a number means the same line on every page;
 * "lagi" shows the next page and "menu" (a global word) leaves.
 */
import { parseNumberList } from "../domain/number-list.ts";
import { MORE_WORDS as MORE, phraseSet } from "./command-words.ts";
import type { Turn } from "./turn.ts";
import type { ChoiceRef, Reply } from "./types.ts";

/** Items per page: short enough to hear in one go (at most 9, DESIGN.md). */
export const PAGE_SIZE = 5;

export interface Browse {
  ids: string[];
  offset: number;
  /** The item whose details are shown. */
  open?: string;
}

export const MORE_WORDS: ReadonlySet<string> = phraseSet(MORE);

export const pageIds = (b: Browse) => b.ids.slice(b.offset, b.offset + PAGE_SIZE);
export const hasMore = (b: Browse) => b.offset + PAGE_SIZE < b.ids.length;

export type ListAnswer = { pick: string } | { more: true };

/** Reads an answer to a list: a line's number (on this page or an earlier one), or "lagi". */
export function readListAnswer(b: Browse, text: string): ListAnswer | undefined {
  const shown = Math.min(b.ids.length, b.offset + PAGE_SIZE);
  const numbers = parseNumberList(text, shown);
  const n = numbers?.length === 1 ? numbers[0]! : undefined;
  if (n !== undefined) return { pick: b.ids[n - 1]! };
  if (MORE_WORDS.has(text)) return { more: true };
  return undefined;
}

/**
 * The snapshot without items no longer offered (closed, past their deadline,
 * started), the page kept in range: rendered pages are taken from it, so the
 * numbers people see are the numbers `readListAnswer` reads next.
 */
export function refreshed(b: Browse, offered: (id: string) => boolean): Browse {
  const ids = b.ids.filter(offered);
  const lastPage = Math.max(0, Math.floor((ids.length - 1) / PAGE_SIZE) * PAGE_SIZE);
  return { ...b, ids, offset: Math.min(b.offset, lastPage) };
}

/**
 * A page of a list, its header saying the count the way people say it: "Ada 3
 * lowongan" when all fit, "Ada 12 lowongan. Ini 5 yang pertama" on the first
 * of several pages, then "Lowongan 6 sampai 10 dari 12".
 */
export function listPageReply(b: Browse, items: ChoiceRef[], prefix: string): Reply {
  const from = b.offset + 1;
  const to = b.offset + items.length;
  const total = b.ids.length;
  const key =
    total === 1
      ? "listOne"
      : b.offset === 0
        ? hasMore(b)
          ? "list"
          : "listAll"
        : hasMore(b)
          ? "listNext"
          : from === to
            ? "listLastOne"
            : "listLast";
  return {
    key: `${prefix}.${key}`,
    params: { from, to, total },
    choices: items,
    firstNumber: from,
    buttons: false,
  };
}

/**
 * One kind of item people browse (vacancies, trainings): where its list is
 * kept, how it is shown, and what its details' choices do ("1 minat / batal",
 * "1 daftar / batal", "2 kembali ke daftar", "3 menu").
 */
export interface Listing<T extends { id: string }> {
  /** The flow whose "list" and "detail" steps these are. */
  flow: "vacancies" | "trainings";
  /** Where the conversation keeps the list being browsed. */
  slot: "browse" | "trainings";
  /** The list anew: from the menu, or when the kept one has nothing left. */
  open(turn: Turn): void;
  /** The current page, the kept list first brought up to date (see `refreshed`). */
  pageReply(turn: Turn): Reply;
  /** After a page was shown (vacancies: counted as seen). */
  shown?(turn: Turn, ids: string[]): void;
  /** An item still offered, by id or by the number people type. */
  find(turn: Turn, key: { id: string } | { ref: number }): T | undefined;
  /** An item's details. */
  show(turn: Turn, item: T): void;
  /** "lagi" on the last page. */
  noMore: string;
  /** An answer to the list that could not be read. */
  listHint: string;
  /** Whether the person has taken the item (applied, enrolled or waiting): choice 1 then gives it up. */
  taken(turn: Turn, item: T): boolean;
  take(turn: Turn, item: T): void;
  giveUp(turn: Turn, item: T): void;
  takeWords: ReadonlySet<string>;
  giveUpWords: ReadonlySet<string>;
  /** Words for "back to the list" (besides "lagi"). */
  listWords: ReadonlySet<string>;
}

/** The current page again (brought up to date; none left: the list anew). */
export function showListPage<T extends { id: string }>(turn: Turn, listing: Listing<T>): void {
  const reply = listing.pageReply(turn);
  const browse = turn.state[listing.slot]!;
  if (browse.ids.length === 0) return listing.open(turn); // all of them closed meanwhile
  browse.open = undefined;
  turn.go(listing.flow, "list").say(reply);
  listing.shown?.(turn, pageIds(browse));
}

/** The item whose details (and their choices) the next answer is about. */
export function openListItem<T extends { id: string }>(
  turn: Turn,
  listing: Listing<T>,
  item: T,
): void {
  turn.state[listing.slot] = {
    ...(turn.state[listing.slot] ?? { ids: [], offset: 0 }),
    open: item.id,
  };
  turn.go(listing.flow, "detail");
}
