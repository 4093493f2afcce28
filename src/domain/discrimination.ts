/**
 * Requirements in job adverts that exclude people with disabilities or are
 * otherwise discriminatory (UU 8/2016 Pasal 11 and 53). Staff are warned, not
 * blocked: they can still talk the employer out of it.
 */
import { normalize } from "./normalize.ts";

export type WarningCode =
  | "health_requirement"
  | "no_disability"
  | "age_limit"
  | "appearance"
  | "physical_measure"
  | "marital_status"
  | "gender";

export interface RequirementWarning {
  code: WarningCode;
  /** The field it was found in. */
  field: string;
  /** The words that triggered it, as normalised text. */
  match: string;
  message: string;
}

const RULES: { code: WarningCode; pattern: RegExp; message: string }[] = [
  {
    code: "health_requirement",
    pattern:
      /\b(sehat (jasmani|rohani|fisik|mental)( (dan|&) (jasmani|rohani|fisik|mental))?|physically (and mentally )?(fit|healthy)|mentally (and physically )?(fit|healthy)|(fit|healthy) (in )?(body|mind)|sound (body|mind)|berbadan sehat)\b/u,
    message:
      "A blanket health requirement ('sehat jasmani dan rohani') excludes people with disabilities; name the tasks of the job instead.",
  },
  {
    code: "no_disability",
    pattern:
      /\b(tidak (cacat|memiliki cacat|mempunyai cacat|berkebutuhan khusus|disabilitas)|bebas cacat|tanpa cacat|fisik (sempurna|lengkap|normal)|anggota (tubuh|badan) lengkap|no (disability|disabilities|physical defects?)|not disabled|normal (vision|hearing|sight)|penglihatan normal|pendengaran normal|tidak buta warna)\b/u,
    message: "Excluding people with disabilities is discrimination (UU 8/2016); remove it.",
  },
  {
    code: "age_limit",
    pattern:
      /\b((usia|umur|berusia|age|aged) (maks(imal|imum)?|max(imum)?|paling tinggi|tidak lebih dari|under|below|di ?bawah|not over|up to)\b|(usia|umur|berusia|age|aged) \d{2} ?(sampai|hingga|s d|sd|to|-)? ?\d{2}\b|max(imum)? (usia|umur|age)\b|maks(imal)? (usia|umur)\b|(maks(imal)?|max(imum)?) \d{2} (tahun|thn|years)\b)/u,
    message: "An age limit is only lawful where the job truly needs it; check with the employer.",
  },
  {
    code: "appearance",
    pattern:
      /\b(berpenampilan menarik|penampilan menarik|good looking|goodlooking|attractive appearance|good appearance|menarik secara fisik)\b/u,
    message: "An appearance requirement is not about the work; remove it.",
  },
  {
    code: "physical_measure",
    pattern: /\b(tinggi badan|berat badan|height (min|minimum|at least)|minimum height)\b/u,
    message:
      "Height or weight limits exclude many people; keep them only if the job truly needs them.",
  },
  {
    code: "marital_status",
    pattern: /\b(belum menikah|belum kawin|tidak menikah|single|unmarried|status lajang|lajang)\b/u,
    message: "Marital status is not a job requirement; remove it.",
  },
  {
    code: "gender",
    pattern:
      /\b(khusus (pria|wanita|laki laki|perempuan)|(pria|wanita|laki laki|perempuan) saja|(male|female|men|women) only)\b/u,
    message:
      "Limiting the job to one gender needs a reason the work demands; check with the employer.",
  },
];

/** Every rule that fires in any of the given fields, once per rule and field. */
export function requirementWarnings(
  fields: Record<string, string | readonly string[] | undefined>,
): RequirementWarning[] {
  const warnings: RequirementWarning[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = normalize(Array.isArray(value) ? value.join(" , ") : (value as string));
    for (const rule of RULES) {
      const found = rule.pattern.exec(text);
      if (found) warnings.push({ code: rule.code, field, match: found[0], message: rule.message });
    }
  }
  return warnings;
}
