// Small persisted settings of the bot ↔ the bot_state key/value table (JSON values).
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { botState } from '../schema.ts';

export type BotStateRepo = {
  get<T>(key: string): Promise<{ value: T; updatedAt: number } | null>;
  set(key: string, value: unknown, now: number): Promise<void>;
  delete(key: string): Promise<void>;
};

export function createBotStateRepo(db: Db): BotStateRepo {
  return {
    async get<T>(key: string) {
      const [row] = await db.select().from(botState).where(eq(botState.key, key)).limit(1);
      if (!row) return null;
      return { value: JSON.parse(row.valueJson) as T, updatedAt: row.updatedAt };
    },
    async set(key, value, now) {
      const valueJson = JSON.stringify(value);
      await db
        .insert(botState)
        .values({ key, valueJson, updatedAt: now })
        .onConflictDoUpdate({ target: botState.key, set: { valueJson, updatedAt: now } });
    },
    async delete(key) {
      await db.delete(botState).where(eq(botState.key, key));
    },
  };
}
