-- CreateTable
CREATE TABLE "ExamAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "blueprintVersion" INTEGER NOT NULL,
    "formSeed" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "deadline" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    "status" TEXT NOT NULL,
    "timeMultiplier" REAL NOT NULL DEFAULT 1,
    CONSTRAINT "ExamAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AttemptItem" (
    "attemptId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "itemVersion" INTEGER NOT NULL,
    "domain" TEXT NOT NULL,
    "optionOrder" TEXT NOT NULL,

    PRIMARY KEY ("attemptId", "position"),
    CONSTRAINT "AttemptItem_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExamResponse" (
    "attemptId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL,
    "savedAt" DATETIME NOT NULL,

    PRIMARY KEY ("attemptId", "itemId"),
    CONSTRAINT "ExamResponse_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExamScore" (
    "attemptId" TEXT NOT NULL PRIMARY KEY,
    "raw" REAL NOT NULL,
    "reported" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "perDomain" TEXT NOT NULL,
    "perItem" TEXT NOT NULL,
    "scoredAt" DATETIME NOT NULL,
    CONSTRAINT "ExamScore_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
-- Written by hand instead of Prisma's table redefinition: libSQL enables foreign keys and the
-- migrator runs inside a transaction (where PRAGMA foreign_keys=OFF is ignored), so DROP TABLE "User"
-- would cascade-delete every session, progress row and lab run. ADD COLUMN keeps them.
ALTER TABLE "User" ADD COLUMN "examTimeMultiplier" REAL NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "ExamAttempt_userId_startedAt_idx" ON "ExamAttempt"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "ExamAttempt_status_deadline_idx" ON "ExamAttempt"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "AttemptItem_attemptId_itemId_key" ON "AttemptItem"("attemptId", "itemId");

