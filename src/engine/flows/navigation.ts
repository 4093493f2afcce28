/**
 * Answers on a list and on an item's details, the same for vacancies and
 * trainings (their `Listing`): a line's number or "lagi" on a list; on the
 * details "1" takes the item or gives it up, "2" goes back to the list, "3" to
 * the menu; a menu word anywhere opens that item. This module sits above the
 * menu (it opens menu items), so the flows below it never import the menu.
 */
import { parseNumberList } from "../../domain/number-list.ts";
import {
  hasMore,
  type Listing,
  MORE_WORDS,
  PAGE_SIZE,
  readListAnswer,
  showListPage,
} from "../browse.ts";
import type { Turn } from "../turn.ts";
import { fail, showMenu } from "./common.ts";
import { itemWord, openItem } from "./menu.ts";

export function answerList<T extends { id: string }>(
  turn: Turn,
  text: string,
  listing: Listing<T>,
): void {
  const browse = turn.state[listing.slot];
  if (!browse) return listing.open(turn);
  const answer = readListAnswer(browse, text);
  if (answer && "pick" in answer) {
    const item = listing.find(turn, { id: answer.pick });
    return item ? listing.show(turn, item) : listing.open(turn);
  }
  if (answer && "more" in answer) {
    // The list was just shown: say so, without reading it all again ("ulangi" does).
    if (!hasMore(browse)) return void turn.say({ key: listing.noMore });
    browse.offset += PAGE_SIZE;
    return showListPage(turn, listing);
  }
  menuItemOrFail(turn, text, listing.listHint);
}

export function answerDetail<T extends { id: string }>(
  turn: Turn,
  text: string,
  listing: Listing<T>,
): void {
  const browse = turn.state[listing.slot];
  const item = browse?.open ? listing.find(turn, { id: browse.open }) : undefined;
  if (!item) return listing.open(turn);
  const numbers = parseNumberList(text, 3);
  const n = numbers?.length === 1 ? numbers[0]! : undefined;
  const taken = listing.taken(turn, item);
  if (n === 1) return taken ? listing.giveUp(turn, item) : listing.take(turn, item);
  if (listing.takeWords.has(text)) return listing.take(turn, item);
  if (listing.giveUpWords.has(text)) return listing.giveUp(turn, item);
  if (n === 2 || listing.listWords.has(text) || MORE_WORDS.has(text)) {
    return backToList(turn, listing);
  }
  if (n === 3) return showMenu(turn);
  menuItemOrFail(turn, text, "hint.chooseNumber");
}

/** "2. Kembali ke daftar" (or "kembali"): the page the item was opened from, else the list anew. */
export function backToList<T extends { id: string }>(turn: Turn, listing: Listing<T>): void {
  const browse = turn.state[listing.slot];
  if (browse?.open && browse.ids.includes(browse.open)) return showListPage(turn, listing);
  listing.open(turn);
}

/** A menu word ("lowongan", "bantuan") opens that item; anything else is an unclear answer. */
function menuItemOrFail(turn: Turn, text: string, hint: string): void {
  const item = itemWord(text);
  if (item) return openItem(turn, item);
  fail(turn, hint);
}
