/**
 * Lists people page through (vacancies, trainings): a snapshot of ids, three
 * per page, numbered, then "next page" (when there is one) and "menu".
 */
import { parseNumberList } from "../domain/number-list.ts";
import type { ChoiceRef, Reply } from "./types.ts";

/** Items per page. */
export const PAGE_SIZE = 3;

export interface Browse {
  ids: string[];
  offset: number;
  /** The item whose details are shown. */
  open?: string;
}

export const MORE_WORDS: ReadonlySet<string> = new Set([
  "lagi",
  "lanjut",
  "berikutnya",
  "selanjutnya",
  "more",
  "next",
]);

export const pageIds = (b: Browse) => b.ids.slice(b.offset, b.offset + PAGE_SIZE);
export const hasMore = (b: Browse) => b.offset + PAGE_SIZE < b.ids.length;

export type ListAnswer = { pick: string } | { more: true } | { menu: true };

/** Reads an answer to a page: an item's number, "next page" (number or word), or "menu" (its number). */
export function readListAnswer(b: Browse, text: string): ListAnswer | undefined {
  const onPage = pageIds(b);
  const more = hasMore(b);
  const count = onPage.length + (more ? 1 : 0) + 1;
  const numbers = parseNumberList(text, count);
  const n = numbers?.length === 1 ? numbers[0]! : undefined;
  if (n !== undefined && n <= onPage.length) return { pick: onPage[n - 1]! };
  if ((more && n === onPage.length + 1) || MORE_WORDS.has(text)) return { more: true };
  if (n === count) return { menu: true };
  return undefined;
}

/** The page's own numbers: the items, then "next page" when there is one, then "menu". */
export function pageChoices<T extends { id: string; key: string }>(b: Browse, items: T[]) {
  return [
    ...items,
    ...(hasMore(b) ? [{ id: "more", key: "browse.more" }] : []),
    { id: "menu", key: "browse.toMenu" },
  ];
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

/** A page of a list: "<prefix>.list" (or ".listLast" on the last page) with its numbered items. */
export function listPageReply(b: Browse, items: ChoiceRef[], prefix: string): Reply {
  return {
    key: hasMore(b) ? `${prefix}.list` : `${prefix}.listLast`,
    params: { from: b.offset + 1, to: b.offset + items.length, total: b.ids.length },
    choices: pageChoices(b, items),
    buttons: false,
  };
}
