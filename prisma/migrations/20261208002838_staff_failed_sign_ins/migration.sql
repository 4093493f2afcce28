-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "failedSignIns" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastFailedSignInAt" TIMESTAMP(3),
ADD COLUMN     "lastFailedSignInFrom" TEXT,
ADD COLUMN     "signInLimitedAt" TIMESTAMP(3);
