/** The API's list shape: `?limit=&cursor=` (the last id seen) → `{items, nextCursor}`. */
export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** Prisma arguments for one page: one row more than asked, to know whether another page follows. */
export function pageArgs(q: PageQuery) {
  return { take: q.limit + 1, ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}) };
}

export function toPage<R extends { id: string }, T>(rows: R[], q: PageQuery, map: (row: R) => T) {
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(map),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
