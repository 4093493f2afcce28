/**
 * Who receives what when a person says "minat" or enrols: told at that
 * moment, in the same words as the staff side shows it (features/seekers/contact.ts).
 * Their own city's job center already has their registration; a center of
 * another city (a remote vacancy, an online training) gets name, contact and
 * accommodation needs, and the disability categories only with that consent.
 */
import { cityByCode } from "../domain/cities.ts";
import type { PersonView, Reply } from "./types.ts";

export function sharingNotice(
  person: PersonView,
  cityCode: string,
  choices: Reply["choices"],
): Reply {
  const city = cityByCode(cityCode)?.name ?? cityCode;
  const own = person.profile?.cityCode === cityCode;
  const key = own
    ? "sharing.ownCity"
    : person.consents.disability === true && (person.profile?.disabilityCategories.length ?? 0) > 0
      ? "sharing.otherCityWithDisability"
      : "sharing.otherCity";
  return { key, params: { city }, ...(choices ? { choices } : {}) };
}
