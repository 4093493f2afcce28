-- AlterTable
ALTER TABLE "Handoff" ADD COLUMN     "notifiedAt" TIMESTAMP(3);
