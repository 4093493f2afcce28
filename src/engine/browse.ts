/**
 * Lists people page through (vacancies, trainings): a snapshot of ids, shown
 * a page at a time. A line's number is its place in the whole list (the
 * second page goes on from 6), so a number means the same line on every page;
 * "lagi" shows the next page and "menu" (a global word) leaves.
 */
import { parseNumberList } from "../domain/number-list.ts";
import { MORE_WORDS as MORE, phraseSet } from "./command-words.ts";
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
