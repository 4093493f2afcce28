-- The cities each audit entry concerns (see features/staff/audit.ts). Entries written
-- before keep none: only admins of all cities read them (no guess from scopes since changed).
-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "cities" TEXT[] DEFAULT ARRAY[]::TEXT[];
