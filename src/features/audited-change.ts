/** The shape every staff change to a vacancy or a training has. */
import type { PrismaClient, Tx } from "../db/types.ts";
import { type Failure, notFound } from "./results.ts";
import { audit } from "./staff/audit.ts";
import type { StaffPrincipal } from "./staff/tokens.ts";

/** The audit entry of a change: what was done to which record, concerning which cities. */
export interface AuditEntry {
  action: string;
  target: string;
  details?: Record<string, unknown>;
  cities: string[];
}

/** The audit entry of a record created for a city. */
export const createdEntry = (action: string, id: string, city: string): AuditEntry => ({
  action,
  target: id,
  details: { city },
  cities: [city],
});

/** What a change does, step by step (`Current` is `undefined` when creating). */
export interface ChangeSteps<Current, Plan extends object, Out> {
  /** The record changed, as the caller may see it (`findVisible`); not there: 404 naming `what`. */
  load?: {
    what: string;
    id: string;
    find: (prisma: PrismaClient, id: string, cities: string[]) => Promise<Current | null>;
  };
  /** A refusal (403 outside the caller's cities, 409, 400), or what to write. */
  check(current: Current): Failure | Plan;
  /** The writes, in the transaction; the audit entry is written after them (none: nothing to record). */
  write(tx: Tx, plan: Plan, current: Current): Promise<{ out: Out; audit?: AuditEntry }>;
}

const isFailure = (x: object): x is Failure => "ok" in x && x.ok === false;

/**
 * Loads the record, lets `check` refuse or plan, then writes the change and
 * its audit entry in one transaction, so neither is kept without the other.
 */
export async function auditedChange<Current, Plan extends object, Out>(
  prisma: PrismaClient,
  who: StaffPrincipal,
  steps: ChangeSteps<Current, Plan, Out>,
): Promise<Failure | { ok: true; current: Current; plan: Plan; out: Out }> {
  let current = undefined as Current;
  if (steps.load) {
    const found = await steps.load.find(prisma, steps.load.id, who.cities);
    if (!found) return notFound(steps.load.what, steps.load.id);
    current = found;
  }
  const plan = steps.check(current);
  if (isFailure(plan)) return plan;
  const out = await prisma.$transaction(async (tx) => {
    const written = await steps.write(tx, plan, current);
    const entry = written.audit;
    if (entry) await audit(tx, who, entry.action, entry.target, entry.details, entry.cities);
    return written.out;
  });
  return { ok: true, current, plan, out };
}
