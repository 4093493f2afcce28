import type { Api } from "grammy";
import { formatLocalTime } from "../../domain/dates.ts";
import { staffPrincipal } from "../../features/staff/accounts.ts";
import { type StaffReply, staffChatTurn } from "../../features/staff/chat.ts";
import {
  handoffInNotice,
  parseCommand,
  type StaffChatState,
} from "../../features/staff/chat-commands.ts";
import type { StaffPrincipal } from "../../features/staff/tokens.ts";
import { translator } from "../../lib/i18n.ts";
import type { Logger } from "../../lib/logger.ts";
import type { RunnerDeps } from "../../runner/deps.ts";
import type { Sender } from "./translate.ts";

/** A guided step is forgotten after this long without an answer. */
const STATE_TTL_S = 30 * 60;

/**
 * Staff commands in Telegram, for people whose Telegram account is linked to
 * an active staff account (`npm run staff -- link-telegram`): in the staff
 * group, or privately with the bot. Their city scope and role are the staff
 * account's; what they do is in the audit log as `staff:<id>`.
 */
export class StaffChat {
  constructor(
    private readonly api: Api,
    private readonly deps: RunnerDeps,
    private readonly log: Logger,
  ) {}

  /**
   * A private message: handled (true) when it is a staff command or the next
   * step of a guided broadcast from a linked staff member; otherwise it is a
   * job seeker's message like any other (false).
   */
  async handlePrivate(sender: Sender, text: string): Promise<boolean> {
    const command = parseCommand(text);
    // Help and /start stay the job seekers' (staff try the service too).
    const isStaffCommand = command !== null && command.kind !== "help";
    if (!isStaffCommand && !(await this.hasState(sender.userId, sender.userId))) return false;
    const staff = await this.principal(sender.userId);
    if (!staff) return false;
    await this.turn(sender.userId, sender, staff, text);
    return true;
  }

  /** A message in the staff group: commands of linked staff are answered; chatter is not. */
  async handleGroup(chatId: number, sender: Sender, text: string) {
    const command = parseCommand(text);
    const notice = sender.replyTo !== undefined && handoffInNotice(sender.replyTo) !== null;
    if (!command && !notice && !(await this.hasState(chatId, sender.userId))) return;
    const staff = await this.principal(sender.userId);
    if (!staff) {
      if (command) await this.send(chatId, sender.language, "staffChat.notLinked");
      return;
    }
    await this.turn(chatId, sender, staff, text);
  }

  private async turn(chatId: number, sender: Sender, staff: StaffPrincipal, text: string) {
    const redis = this.deps.queues.connection;
    // A redelivered update (a crash before Telegram heard it was handled) is not acted on twice.
    const fresh = await redis.set(
      `${this.deps.queues.prefix}:staff-chat-seen:${chatId}:${sender.messageId}`,
      "1",
      "EX",
      86_400,
      "NX",
    );
    if (fresh !== "OK") return;
    // Taken, not read: two quick "ya" cannot both confirm the same broadcast.
    const key = this.stateKey(chatId, sender.userId);
    const saved = await redis.getdel(key);
    const state = saved ? (JSON.parse(saved) as StaffChatState) : null;
    const result = await staffChatTurn(this.deps, staff, state, text, sender.replyTo);
    if (result.state) await redis.set(key, JSON.stringify(result.state), "EX", STATE_TTL_S);
    for (const reply of result.replies) {
      await this.send(chatId, sender.language, reply.key, reply.params);
    }
  }

  /** Guided steps belong to one person in one chat: the group and the private chat are apart. */
  private stateKey(chatId: number, userId: number) {
    return `${this.deps.queues.prefix}:staff-chat:${chatId}:${userId}`;
  }

  private async hasState(chatId: number, userId: number): Promise<boolean> {
    return (await this.deps.queues.connection.exists(this.stateKey(chatId, userId))) === 1;
  }

  private async principal(userId: number): Promise<StaffPrincipal | null> {
    const user = await this.deps.prisma.staffUser.findFirst({
      where: { telegramUserId: String(userId), disabledAt: null },
    });
    return user ? staffPrincipal(user) : null;
  }

  private async send(chatId: number, language: string, key: string, params?: StaffReply["params"]) {
    // Times are shown in the reader's language ("07.00 WITA", "07:00 WITA").
    const now = this.deps.clock.now();
    const values = Object.fromEntries(
      Object.entries(params ?? {}).map(([name, v]) => [
        name,
        typeof v === "object" ? formatLocalTime(v.at, v.timeZone, language, now) : v,
      ]),
    );
    try {
      // Staff texts have their own namespace (locales/<lang>/staff.json): staff are not job seekers.
      await this.api.sendMessage(chatId, translator(language, "staff")(key, values));
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "staff chat answer failed");
    }
  }
}
