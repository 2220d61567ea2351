-- CreateTable
CREATE TABLE "LabRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "labId" TEXT NOT NULL,
    "labVersion" INTEGER NOT NULL,
    "taskId" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "answer" TEXT,
    "summary" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "clientDigest" TEXT NOT NULL,
    "serverDigest" TEXT NOT NULL,
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifyMs" INTEGER NOT NULL,
    CONSTRAINT "LabRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "LabRun_userId_labId_taskId_idx" ON "LabRun"("userId", "labId", "taskId");

