-- CreateEnum
CREATE TYPE "HandoffStatus" AS ENUM ('open', 'closed');

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "inboundId" UUID,
ADD COLUMN     "lockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "SeekerProfile" (
    "personId" UUID NOT NULL,
    "fullName" TEXT NOT NULL,
    "cityCode" TEXT NOT NULL,
    "cityOtherKind" TEXT,
    "cityOtherName" TEXT,
    "disabilityCategories" TEXT[],
    "disabilityDeclined" BOOLEAN NOT NULL DEFAULT false,
    "education" TEXT NOT NULL,
    "skills" TEXT[],
    "experience" TEXT,
    "jobTypes" TEXT[],
    "workModes" TEXT[],
    "accommodations" TEXT[],
    "accommodationNote" TEXT,
    "communication" TEXT[],
    "phone" TEXT,
    "registeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SeekerProfile_pkey" PRIMARY KEY ("personId")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "textVersion" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Handoff" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "status" "HandoffStatus" NOT NULL DEFAULT 'open',
    "channel" "Channel" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Handoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT,
    "channel" "Channel" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SeekerProfile_cityCode_education_idx" ON "SeekerProfile"("cityCode", "education");

-- CreateIndex
CREATE INDEX "SeekerProfile_disabilityCategories_idx" ON "SeekerProfile" USING GIN ("disabilityCategories");

-- CreateIndex
CREATE INDEX "SeekerProfile_skills_idx" ON "SeekerProfile" USING GIN ("skills");

-- CreateIndex
CREATE INDEX "ConsentRecord_personId_purpose_createdAt_idx" ON "ConsentRecord"("personId", "purpose", "createdAt");

-- CreateIndex
CREATE INDEX "Handoff_status_createdAt_idx" ON "Handoff"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Handoff_personId_status_idx" ON "Handoff"("personId", "status");

-- CreateIndex
CREATE INDEX "DataRequest_personId_createdAt_idx" ON "DataRequest"("personId", "createdAt");

-- AddForeignKey
ALTER TABLE "SeekerProfile" ADD CONSTRAINT "SeekerProfile_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Handoff" ADD CONSTRAINT "Handoff_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequest" ADD CONSTRAINT "DataRequest_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
