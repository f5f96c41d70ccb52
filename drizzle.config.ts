// drizzle-kit config: `bun run db:generate` writes SQL migrations to migrations/ (committed, applied at boot).
// dialect 'turso' on purpose: 'sqlite' can emit a data-corrupting table rebuild (shared/notes/ecosystem.md §3).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './src/db/schema.ts',
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'file:./data/coinbutler.db' },
});
