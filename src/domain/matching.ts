/**
 * Which job seekers a vacancy is for, and how well it fits each of them.
 * Pure rules: the SQL in features/vacancies/match-sql.ts applies the same
 * rules to the whole database, and a test checks that both agree.
 */
import type { DisabilityCategory } from "./categories.ts";
import { type EducationLevel, meetsMinimum } from "./education.ts";
import { normalize } from "./normalize.ts";
import { exactTag } from "./tags.ts";
import type { WorkMode } from "./work-mode.ts";

export interface SeekerForMatching {
  cityCode: string;
  education: EducationLevel;
  disabilityCategories: readonly string[];
  /** Canonical tags (domain/tags.ts). */
  skills: readonly string[];
  /** Canonical tags; empty = any job. */
  jobTypes: readonly string[];
  /** Empty = any mode. */
  workModes: readonly string[];
}

export interface VacancyForMatching {
  cityCode: string;
  workMode: WorkMode;
  minEducation: EducationLevel;
  /** Empty = suitable for every category. */
  suitableFor: readonly DisabilityCategory[] | readonly string[];
  /** Canonical tags of the skills asked for. */
  skillTags: readonly string[];
  /** Canonical tags describing the job: skill tags plus words of the title. */
  tags: readonly string[];
}

/** Why a seeker is not matched (first failing rule), for tests and staff explanations. */
export type MatchMiss = "city" | "education" | "category";

export type MatchResult = { ok: true; score: number } | { ok: false; miss: MatchMiss };

/** Points per shared skill, per job type named, and for the preferred work mode. */
export const SCORE = { skill: 3, jobType: 2, workMode: 1 } as const;

/**
 * Hard filters first (the vacancy is reachable from where the person lives,
 * their education is at least the minimum, every category they told us is one
 * the job suits), then a score: shared skills, wanted job types, work mode.
 */
export function matchVacancy(seeker: SeekerForMatching, vacancy: VacancyForMatching): MatchResult {
  if (!placeFits(seeker, vacancy)) return { ok: false, miss: "city" };
  if (!meetsMinimum(seeker.education, vacancy.minEducation))
    return { ok: false, miss: "education" };
  if (!categoriesFit(seeker.disabilityCategories, vacancy.suitableFor))
    return { ok: false, miss: "category" };
  return { ok: true, score: scoreVacancy(seeker, vacancy) };
}

/**
 * On-site and hybrid work needs the person in the vacancy's city. Remote work
 * is open to people anywhere who said they can work remotely (or any mode).
 */
export function placeFits(seeker: SeekerForMatching, vacancy: VacancyForMatching): boolean {
  if (seeker.cityCode === vacancy.cityCode) return true;
  return vacancy.workMode === "remote" && acceptsMode(seeker.workModes, "remote");
}

export function categoriesFit(seeker: readonly string[], suitableFor: readonly string[]): boolean {
  return suitableFor.length === 0 || seeker.every((c) => suitableFor.includes(c));
}

function acceptsMode(modes: readonly string[], mode: WorkMode): boolean {
  return modes.length === 0 || modes.includes(mode);
}

export function scoreVacancy(seeker: SeekerForMatching, vacancy: VacancyForMatching): number {
  return (
    SCORE.skill * overlap(seeker.skills, vacancy.skillTags) +
    SCORE.jobType * overlap(seeker.jobTypes, vacancy.tags) +
    (acceptsMode(seeker.workModes, vacancy.workMode) ? SCORE.workMode : 0)
  );
}

/** Distinct shared elements. */
function overlap(a: readonly string[], b: readonly string[]): number {
  const other = new Set(b);
  return new Set(a.filter((x) => other.has(x))).size;
}

/** Whether a person may get proactive messages at all. */
export interface Reachability {
  status: string;
  /** The latest answer to the data consent. */
  dataConsent: boolean;
  /** At least one channel address that is not marked unreachable. */
  reachable: boolean;
}

export function canBePushed(r: Reachability): boolean {
  return r.status === "active" && r.dataConsent && r.reachable;
}

/** Best first: higher score, then the earlier deadline, then the older vacancy. */
export function byBestMatch<T extends { score: number; deadline: Date; ref: number }>(
  a: T,
  b: T,
): number {
  return b.score - a.score || a.deadline.getTime() - b.deadline.getTime() || a.ref - b.ref;
}

/** Words that say nothing about the kind of job ("staf", "di", "untuk"). */
const TITLE_FILLERS = new Set(
  (
    "staf staff pegawai karyawan tenaga petugas pekerja operator asisten assistant junior senior " +
    "lowongan posisi bagian di ke dan untuk yang atau dengan the of and for in at a an " +
    "pria wanita laki perempuan kontrak tetap harian part full time"
  ).split(" "),
);

/**
 * Tags describing a job, for matching people's wanted job types: the skill
 * tags, and each word and word pair of the title ("Penjahit Garmen" →
 * menjahit, garmen, penjahit garmen). Staff write titles carefully, so only
 * exact synonyms count (no typo guessing: "toko" must not become "foto").
 */
export function vacancyTags(title: string, skillTags: readonly string[]): string[] {
  const words = normalize(title)
    .split(" ")
    .filter((w) => w.length >= 3 && !TITLE_FILLERS.has(w) && !/^\p{N}+$/u.test(w));
  const phrases = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
  return [...new Set([...skillTags, ...phrases.map(exactTag)])];
}

/** Skill tags of a vacancy from what staff wrote. */
export function vacancySkillTags(skills: readonly string[]): string[] {
  return [...new Set(skills.map(exactTag).filter((t) => t.length > 0))];
}
