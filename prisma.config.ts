// Prisma CLI configuration. The JavaScript schema engine (`engine: "js"`) with a driver adapter
// means no native engine binary is ever downloaded: installs work offline. The provider follows
// DATABASE_URL exactly as the server does (see src/lib/server/database-url.ts).
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { resolveDatabase } from './src/lib/server/database-url.ts';

const database = resolveDatabase(process.env);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: `prisma/${database.provider}/schema.prisma`,
  migrations: { path: `prisma/${database.provider}/migrations` },
  adapter: async () =>
    database.provider === 'postgresql' ? new PrismaPg({ connectionString: database.url }) : new PrismaLibSQL({ url: database.url }),
});
