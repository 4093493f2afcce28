export type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

import type { Prisma } from "../generated/prisma/client.ts";

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
