import type { Effect, PersonView } from "./types.ts";

/** Someone the service has never heard from: Indonesian, messages on, nothing stored. */
export function newPerson(): PersonView {
  return {
    language: "id",
    plainLanguage: false,
    messagingActive: true,
    consents: {},
    profile: null,
    handoffOpen: false,
  };
}

/** How an effect changes what the engine knows about the person (the runner does the same in the database). */
export function applyToPerson(p: PersonView, effect: Effect): void {
  switch (effect.type) {
    case "setLanguage":
      p.language = effect.language;
      break;
    case "setPlainLanguage":
      p.plainLanguage = effect.plain;
      break;
    case "recordConsent":
      p.consents[effect.purpose] = effect.granted;
      if (effect.purpose === "disability" && !effect.granted && p.profile) {
        p.profile = { ...p.profile, disabilityCategories: [], disabilityDeclined: true };
      }
      break;
    case "saveProfile":
      p.profile = effect.profile;
      break;
    case "updateProfile":
      if (p.profile) p.profile = { ...p.profile, ...effect.fields };
      break;
    case "setMessaging":
      p.messagingActive = effect.active;
      break;
    case "openHandoff":
      p.handoffOpen = true;
      break;
    case "deleteData":
      p.profile = null;
      p.consents = {};
      p.handoffOpen = false;
      break;
    case "reply":
    case "logDataRequest":
    case "apply":
    case "withdraw":
    case "markSeen":
    case "enrol":
    case "unenrol":
    case "answerReminder":
    case "funnelStep":
      break;
  }
}
