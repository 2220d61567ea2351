-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "revokedBy" TEXT;

