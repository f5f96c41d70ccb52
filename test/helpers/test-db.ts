// An in-memory libSQL database with the real migrations applied; never a fake.
import { openDatabase, type DbHandle } from '../../src/db/client.ts';

export const openTestDb = (): Promise<DbHandle> => openDatabase(':memory:');
