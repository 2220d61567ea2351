-- CreateTable
CREATE TABLE "LabRun" (
    "id" TEXT NOT NULL,
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
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifyMs" INTEGER NOT NULL,

    CONSTRAINT "LabRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AppSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppSecret_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "LabRun_userId_labId_taskId_idx" ON "LabRun"("userId", "labId", "taskId");

-- AddForeignKey
ALTER TABLE "LabRun" ADD CONSTRAINT "LabRun_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

