/**
 * Staff commands in a chat (Telegram): what a staff member typed, read
 * without I/O. The guided broadcast (text → English → segment → count →
 * confirm) is a small state machine kept per staff member between messages.
 */
import { parseCategories } from "../../domain/categories.ts";
import { cityByCode } from "../../domain/cities.ts";
import { parseCity } from "../../domain/city-names.ts";
import { parseEducation } from "../../domain/education.ts";
import { normalize } from "../../domain/normalize.ts";
import type { Segment } from "../broadcasts/schema.ts";

export type StaffCommand =
  | { kind: "broadcast" }
  | { kind: "cancel" }
  | { kind: "stats" }
  | { kind: "handoffs" }
  | { kind: "help" }
  /** `/reply <handoff number> <text>`, or a reply to a handoff notice. */
  | { kind: "reply"; handoff: string; text: string }
  | { kind: "close"; handoff: string };

/** Where a staff member is in the guided broadcast. */
export type StaffChatState =
  | { step: "text" }
  | { step: "english"; id: string }
  | { step: "segment"; id: string; en?: string }
  | { step: "confirm"; id: string; en?: string; segment: Segment };

const COMMAND = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;
/** The short handoff number staff are shown: the first 8 hex digits of its id. */
const HANDOFF = /^[0-9a-f]{8}$/i;

/** A slash command, or null for anything else (an answer in a guided step, or chatter). */
export function parseCommand(text: string): StaffCommand | null {
  const match = COMMAND.exec(text.trim());
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const rest = (match[2] ?? "").trim();
  switch (name) {
    case "broadcast":
    case "pengumuman":
      return { kind: "broadcast" };
    case "batal":
    case "cancel":
      return { kind: "cancel" };
    case "stats":
    case "statistik":
      return { kind: "stats" };
    case "handoffs":
      return { kind: "handoffs" };
    case "reply":
    case "balas": {
      const [handoff, ...words] = rest.split(/\s+/);
      const body = rest.slice((handoff ?? "").length).trim();
      return handoff && HANDOFF.test(handoff) && words.length > 0 && body
        ? { kind: "reply", handoff: handoff.toLowerCase(), text: body }
        : { kind: "help" };
    }
    case "close":
    case "tutup":
      return HANDOFF.test(rest) ? { kind: "close", handoff: rest.toLowerCase() } : { kind: "help" };
    case "help":
    case "bantuan":
    case "start":
      return { kind: "help" };
    default:
      return null;
  }
}

/**
 * The handoff number of a notice staff replied to: a text naming exactly one
 * handoff ("… (nomor 1a2b3c4d, lewat telegram) …"); a list naming several is
 * no notice.
 */
export function handoffInNotice(text: string): string | null {
  const numbers = [...text.matchAll(/\((?:nomor|number) ([0-9a-f]{8}),/gi)].map((m) => m[1]!);
  return numbers.length === 1 ? numbers[0]!.toLowerCase() : null;
}

export type SegmentAnswer =
  | { segment: Segment; trainingRef?: number; vacancyRef?: number }
  | { error: "segment.unknown"; part: string };

/**
 * "semua", or parts joined by ";" or new lines: "kota Makassar, Bandung",
 * "ragam rungu, netra", "pendidikan SMA", "pelatihan 4", "lowongan 12"
 * (English words too). Every part must be understood.
 */
export function parseSegment(text: string): SegmentAnswer {
  const segment: Segment = {};
  const answer: { segment: Segment; trainingRef?: number; vacancyRef?: number } = { segment };
  const parts = text
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: "segment.unknown", part: text };
  for (const part of parts) {
    const [head = "", ...words] = part.split(/\s+/);
    const keyword = normalize(head);
    const rest = words.join(" ");
    if (["semua", "everyone", "all", "1"].includes(keyword) && !rest) continue;
    if (["kota", "city", "cities"].includes(keyword)) {
      const codes = rest.split(",").map((name) => cityCode(name.trim()));
      if (codes.length === 0 || codes.some((c) => c === null))
        return { error: "segment.unknown", part };
      segment.cities = [...new Set([...(segment.cities ?? []), ...(codes as string[])])];
    } else if (["ragam", "kategori", "category", "categories", "disability"].includes(keyword)) {
      const categories = parseCategories(rest);
      if (!categories || !("categories" in categories)) return { error: "segment.unknown", part };
      segment.categories = categories.categories;
    } else if (["pendidikan", "education"].includes(keyword)) {
      const level = parseEducation(rest);
      if (!level) return { error: "segment.unknown", part };
      segment.minEducation = level;
    } else if (["pelatihan", "training"].includes(keyword) && /^\d{1,9}$/.test(rest)) {
      answer.trainingRef = Number(rest);
    } else if (["lowongan", "vacancy"].includes(keyword) && /^\d{1,9}$/.test(rest)) {
      answer.vacancyRef = Number(rest);
    } else {
      return { error: "segment.unknown", part };
    }
  }
  return answer;
}

/** A regency or city by code or name ("7371", "Makassar", "kota bandung"). */
function cityCode(text: string): string | null {
  if (cityByCode(text)) return text;
  const answer = parseCity(text);
  return answer && "code" in answer && answer.code ? answer.code : null;
}
