import type { StoreConfig } from '../config/schema.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export async function openStore(config: StoreConfig): Promise<Store> {
  return config.kind === 'sqlite' ? new SqliteStore(config.path) : PostgresStore.open(config);
}
