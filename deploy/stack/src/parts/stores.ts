import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, startRedis } from '@layerwatch/local';
import { TASK_QUEUE } from '@layerwatch/vocabulary';
import type { PartSpec } from '../part.js';

/** The shared layer's Redis, holding the task queue the probes read. */
export const redisPart: PartSpec = {
  name: 'redis',
  title: 'Redis',
  needs: [],
  async start({ options, host, ports, state }) {
    const redis = await startRedis({
      dataDir: join(options.dir, 'redis'),
      port: ports.redis,
      host,
    });
    state.redis = redis;
    return {
      name: 'Redis',
      urls: [`redis://${host}:${redis.port}  (queue ${TASK_QUEUE})`],
      stop: () => redis.stop(),
    };
  },
};

/** The shared layer's PostgreSQL; the probes check it is ready. */
export const postgresPart: PartSpec = {
  name: 'postgres',
  title: 'PostgreSQL',
  needs: [],
  async start({ options, host, ports, state }) {
    const dataDir = options.keepData
      ? join(options.dir, 'postgres')
      : await mkdtemp(join(tmpdir(), 'layerwatch-postgres-'));
    const postgres = await startPostgres({
      dataDir,
      port: ports.postgres,
      host,
      user: 'layerwatch',
      database: 'layerwatch',
    });
    state.postgres = postgres;
    return {
      name: 'PostgreSQL',
      urls: [`postgresql://layerwatch@${host}:${postgres.port}/layerwatch`],
      stop: async () => {
        await postgres.stop();
        if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};
