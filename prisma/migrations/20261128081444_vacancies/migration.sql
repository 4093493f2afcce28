-- CreateEnum
CREATE TYPE "VacancyStatus" AS ENUM ('draft', 'open', 'filled', 'closed');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('interested', 'withdrawn');

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "subject" TEXT;

-- CreateTable
CREATE TABLE "Vacancy" (
    "id" UUID NOT NULL,
    "ref" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "employer" TEXT NOT NULL,
    "cityCode" TEXT NOT NULL,
    "workMode" TEXT NOT NULL,
    "minEducation" TEXT NOT NULL,
    "skills" TEXT[],
    "skillTags" TEXT[],
    "tags" TEXT[],
    "suitableFor" TEXT[],
    "accommodations" TEXT[],
    "accessibilityNote" TEXT,
    "openings" INTEGER NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "description" TEXT NOT NULL,
    "howToApply" TEXT NOT NULL,
    "wage" TEXT,
    "status" "VacancyStatus" NOT NULL DEFAULT 'draft',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "pushedAt" TIMESTAMP(3),
    "pushClaim" TEXT,
    "pushClaimedAt" TIMESTAMP(3),

    CONSTRAINT "Vacancy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VacancyMatch" (
    "vacancyId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "score" INTEGER NOT NULL,
    "via" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VacancyMatch_pkey" PRIMARY KEY ("vacancyId","personId")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "vacancyId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'interested',
    "channel" "Channel" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Vacancy_ref_key" ON "Vacancy"("ref");

-- CreateIndex
CREATE INDEX "Vacancy_status_deadline_idx" ON "Vacancy"("status", "deadline");

-- CreateIndex
CREATE INDEX "Vacancy_cityCode_status_idx" ON "Vacancy"("cityCode", "status");

-- CreateIndex
CREATE INDEX "Vacancy_status_pushedAt_idx" ON "Vacancy"("status", "pushedAt");

-- CreateIndex
CREATE INDEX "VacancyMatch_personId_via_createdAt_idx" ON "VacancyMatch"("personId", "via", "createdAt");

-- CreateIndex
CREATE INDEX "Application_personId_idx" ON "Application"("personId");

-- CreateIndex
CREATE INDEX "Application_notifiedAt_idx" ON "Application"("notifiedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Application_vacancyId_personId_key" ON "Application"("vacancyId", "personId");

-- AddForeignKey
ALTER TABLE "VacancyMatch" ADD CONSTRAINT "VacancyMatch_vacancyId_fkey" FOREIGN KEY ("vacancyId") REFERENCES "Vacancy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VacancyMatch" ADD CONSTRAINT "VacancyMatch_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_vacancyId_fkey" FOREIGN KEY ("vacancyId") REFERENCES "Vacancy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
