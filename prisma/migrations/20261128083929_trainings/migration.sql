-- CreateEnum
CREATE TYPE "TrainingStatus" AS ENUM ('open', 'cancelled');

-- CreateEnum
CREATE TYPE "EnrollmentStatus" AS ENUM ('enrolled', 'waitlisted', 'cancelled');

-- CreateEnum
CREATE TYPE "Attendance" AS ENUM ('attending', 'absent');

-- CreateTable
CREATE TABLE "Training" (
    "id" UUID NOT NULL,
    "ref" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "organizer" TEXT NOT NULL,
    "cityCode" TEXT NOT NULL,
    "online" BOOLEAN NOT NULL DEFAULT false,
    "venue" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "registrationDeadline" TIMESTAMP(3) NOT NULL,
    "accommodations" TEXT[],
    "description" TEXT NOT NULL,
    "status" "TrainingStatus" NOT NULL DEFAULT 'open',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "Training_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" UUID NOT NULL,
    "trainingId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "status" "EnrollmentStatus" NOT NULL,
    "attendance" "Attendance",
    "answeredAt" TIMESTAMP(3),
    "channel" "Channel" NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Training_ref_key" ON "Training"("ref");

-- CreateIndex
CREATE INDEX "Training_status_startsAt_idx" ON "Training"("status", "startsAt");

-- CreateIndex
CREATE INDEX "Training_cityCode_status_idx" ON "Training"("cityCode", "status");

-- CreateIndex
CREATE INDEX "Enrollment_trainingId_status_requestedAt_idx" ON "Enrollment"("trainingId", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "Enrollment_personId_status_idx" ON "Enrollment"("personId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Enrollment_trainingId_personId_key" ON "Enrollment"("trainingId", "personId");

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_trainingId_fkey" FOREIGN KEY ("trainingId") REFERENCES "Training"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
