-- CreateTable
CREATE TABLE "RegistrationStep" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "step" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "language" TEXT NOT NULL,
    "cityCode" TEXT,

    CONSTRAINT "RegistrationStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RegistrationStep_day_step_idx" ON "RegistrationStep"("day", "step");
