import type { Api } from "grammy";
import { translator } from "../../lib/i18n.ts";

type CommandId =
  | "start"
  | "menu"
  | "help"
  | "language"
  | "person"
  | "myData"
  | "stop"
  | "resume"
  | "repeat"
  | "back"
  | "deleteData";

/**
 * The bot's commands in each language: the command is the global word itself
 * ("/bantuan" is "bantuan"), so typing it and tapping it do the same.
 */
export const COMMANDS: Record<"id" | "en", Partial<Record<CommandId, string>>> = {
  id: {
    start: "start",
    menu: "menu",
    help: "bantuan",
    language: "bahasa",
    person: "petugas",
    myData: "data_saya",
    stop: "berhenti",
    resume: "mulai",
    repeat: "ulangi",
    back: "kembali",
    deleteData: "hapus_data",
  },
  en: {
    start: "start",
    menu: "menu",
    help: "help",
    language: "language",
    person: "staff",
    myData: "my_data",
    stop: "stop",
    resume: "resume",
    repeat: "repeat",
    back: "back",
    deleteData: "delete_data",
  },
};

export function commandList(lang: "id" | "en") {
  const t = translator(lang);
  return Object.entries(COMMANDS[lang]).map(([id, command]) => ({
    command: command!,
    description: t(`commands.${id}`),
  }));
}

/** Indonesian for everyone, English for people whose Telegram is in English. */
export async function registerCommands(api: Api): Promise<void> {
  await api.setMyCommands(commandList("id"));
  await api.setMyCommands(commandList("en"), { language_code: "en" });
}
