/**
 * A small in-memory cache with expiry, for Baileys' `msgRetryCounterCache`
 * (how often a message was asked for again). It lives in the gateway, not in
 * the socket, so the counts survive reconnects.
 */
import type { CacheStore } from "@whiskeysockets/baileys";

export class MemoryCache implements CacheStore {
  private readonly entries = new Map<string, { value: unknown; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  set<T>(key: string, value: T): void {
    this.entries.delete(key);
    // Oldest first out when full (a Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  flushAll(): void {
    this.entries.clear();
  }
}
