-- CreateTable
CREATE TABLE "ServiceInstance" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "queuePrefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceInstance_pkey" PRIMARY KEY ("id")
);

-- The database's own queue prefix. A database that already holds data keeps the
-- prefix it was used with (the old default "ijc"), so its waiting jobs stay found.
INSERT INTO "ServiceInstance" ("id", "queuePrefix")
VALUES (1, CASE
  WHEN EXISTS (SELECT 1 FROM "Person") OR EXISTS (SELECT 1 FROM "StaffUser")
    OR EXISTS (SELECT 1 FROM "Vacancy") OR EXISTS (SELECT 1 FROM "Training")
  THEN 'ijc'
  ELSE 'ijc-' || substr(md5(gen_random_uuid()::text), 1, 10)
END);
