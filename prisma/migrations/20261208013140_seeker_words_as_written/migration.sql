-- AlterTable
ALTER TABLE "SeekerProfile" ADD COLUMN     "jobTypesWritten" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "skillsWritten" TEXT[] DEFAULT ARRAY[]::TEXT[];
