/**
 * Staff commands in a chat (Telegram), for people whose chat account is
 * linked to an active staff account (`npm run staff -- link-telegram`): in
 * the staff group, or privately with the bot. Their city scope and role are
 * the staff account's; what they do is in the audit log as `staff:<id>`.
 *
 * The channel hands every private message in as it came; this decides
 * whether it is a staff command. Most private messages are job seekers':
 * the linked staff are kept in memory (looked up again every few seconds),
 * so a job seeker's message costs no query here unless it is a staff
 * command, which is always looked up fresh.
 */
import type { ChatSender } from "../../domain/channel-ports.ts";
import { formatLocalTime } from "../../domain/dates.ts";
import { translator } from "../../lib/i18n.ts";
import { staffPrincipal } from "./accounts.ts";
import { type StaffChatDeps, type StaffReply, staffChatTurn } from "./chat.ts";
import { handoffInNotice, parseCommand, type StaffChatState } from "./chat-commands.ts";
import type { StaffPrincipal } from "./tokens.ts";

/** A guided step is forgotten after this long without an answer. */
const STATE_TTL_S = 30 * 60;
/** How long the linked staff are known without looking again. */
const LINKED_TTL_MS = 10_000;

export class StaffChatRouter {
  private linked: Set<string> | null = null;
  private linkedAt = 0;
  private loading: Promise<Set<string>> | null = null;

  constructor(
    private readonly deps: StaffChatDeps,
    private readonly linkedTtlMs = LINKED_TTL_MS,
  ) {}

  /**
   * A private message: the answers when it is a staff command or the next
   * step of a guided broadcast from a linked staff member; otherwise null,
   * it is a job seeker's message like any other.
   */
  async private(chatId: string, sender: ChatSender, text: string): Promise<string[] | null> {
    const command = parseCommand(text);
    // Help and /start stay the job seekers' (staff try the service too).
    const isStaffCommand = command !== null && command.kind !== "help";
    if (!isStaffCommand) {
      // Only a linked staff member can be in a guided step.
      if (!(await this.mayBeStaff(sender.userId))) return null;
      if (!(await this.hasState(chatId, sender.userId))) return null;
    }
    const staff = await this.principal(sender.userId);
    if (!staff) return null;
    // Linked since the list was read: their next guided step is theirs too.
    this.linked?.add(sender.userId);
    return this.turn(chatId, sender, staff, text);
  }

  /** A message in the staff group: commands of linked staff are answered; chatter is not. */
  async group(chatId: string, sender: ChatSender, text: string): Promise<string[]> {
    const command = parseCommand(text);
    const notice = sender.replyTo !== undefined && handoffInNotice(sender.replyTo) !== null;
    if (!command && !notice && !(await this.hasState(chatId, sender.userId))) return [];
    const staff = await this.principal(sender.userId);
    if (!staff) return command ? [this.render(sender.language, "staffChat.notLinked")] : [];
    return this.turn(chatId, sender, staff, text);
  }

  private async turn(
    chatId: string,
    sender: ChatSender,
    staff: StaffPrincipal,
    text: string,
  ): Promise<string[]> {
    const redis = this.deps.queues.connection;
    // A redelivered update (a crash before Telegram heard it was handled) is not acted on twice.
    const fresh = await redis.set(
      `${this.deps.queues.prefix}:staff-chat-seen:${chatId}:${sender.messageId}`,
      "1",
      "EX",
      86_400,
      "NX",
    );
    if (fresh !== "OK") return [];
    // Taken, not read: two quick "ya" cannot both confirm the same broadcast.
    const key = this.stateKey(chatId, sender.userId);
    const saved = await redis.getdel(key);
    const state = saved ? (JSON.parse(saved) as StaffChatState) : null;
    const result = await staffChatTurn(this.deps, staff, state, text, sender.replyTo);
    if (result.state) await redis.set(key, JSON.stringify(result.state), "EX", STATE_TTL_S);
    return result.replies.map((reply) => this.render(sender.language, reply.key, reply.params));
  }

  /** Guided steps belong to one person in one chat: the group and the private chat are apart. */
  private stateKey(chatId: string, userId: string) {
    return `${this.deps.queues.prefix}:staff-chat:${chatId}:${userId}`;
  }

  private async hasState(chatId: string, userId: string): Promise<boolean> {
    return (await this.deps.queues.connection.exists(this.stateKey(chatId, userId))) === 1;
  }

  private async principal(userId: string): Promise<StaffPrincipal | null> {
    const user = await this.deps.prisma.staffUser.findFirst({
      where: { telegramUserId: userId, disabledAt: null },
    });
    return user ? staffPrincipal(user) : null;
  }

  /** Whether the user is among the linked staff, as last read (at most a few seconds ago). */
  private async mayBeStaff(userId: string): Promise<boolean> {
    if (this.linked && Date.now() - this.linkedAt < this.linkedTtlMs)
      return this.linked.has(userId);
    this.loading ??= this.loadLinked().finally(() => {
      this.loading = null;
    });
    return (await this.loading).has(userId);
  }

  private async loadLinked(): Promise<Set<string>> {
    const rows = await this.deps.prisma.staffUser.findMany({
      where: { telegramUserId: { not: null }, disabledAt: null },
      select: { telegramUserId: true },
    });
    const linked = new Set(rows.map((r) => r.telegramUserId!));
    this.linked = linked;
    this.linkedAt = Date.now();
    return linked;
  }

  /** Staff texts have their own namespace (locales/<lang>/staff.json): staff are not job seekers. */
  private render(language: string, key: string, params?: StaffReply["params"]): string {
    // Times are shown in the reader's language ("07.00 WITA", "07:00 WITA").
    const now = this.deps.clock.now();
    const values = Object.fromEntries(
      Object.entries(params ?? {}).map(([name, v]) => [
        name,
        typeof v === "object" ? formatLocalTime(v.at, v.timeZone, language, now) : v,
      ]),
    );
    return translator(language, "staff")(key, values);
  }
}
