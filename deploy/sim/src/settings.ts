import type { Clock } from './clock.js';
import {
  optionalInt,
  oneOf,
  rejectUnknownKeys,
  requireBoolean,
  requireObject,
} from './validate.js';

/** Per-service knobs the remediation side turns: log level and maintenance mode. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

export interface LogLevelRequest {
  level: LogLevel;
  duration_seconds?: number;
}

export function parseLogLevel(input: unknown): LogLevelRequest {
  const body = requireObject(input, 'log level');
  rejectUnknownKeys(body, ['level', 'duration_seconds'], 'a log level request');
  const level = oneOf(body, 'level', LOG_LEVELS);
  const duration = optionalInt(body, 'duration_seconds', 1, 86_400);
  return duration === undefined ? { level } : { level, duration_seconds: duration };
}

export function parseMaintenance(input: unknown): boolean {
  const body = requireObject(input, 'maintenance');
  rejectUnknownKeys(body, ['enabled'], 'a maintenance request');
  return requireBoolean(body, 'enabled');
}

export class ServiceSettings {
  maintenance = false;
  #logLevel: LogLevelRequest = { level: DEFAULT_LOG_LEVEL };
  #setAt = 0;

  constructor(private readonly clock: Clock) {}

  setLogLevel(request: LogLevelRequest): void {
    this.#logLevel = request;
    this.#setAt = this.clock.now();
  }

  /** The level in force; a timed level (raised for debugging) falls back to the default. */
  logLevel(): LogLevelRequest & { remaining_seconds?: number } {
    const duration = this.#logLevel.duration_seconds;
    if (duration === undefined) return this.#logLevel;
    const remainingMs = this.#setAt + duration * 1000 - this.clock.now();
    if (remainingMs <= 0) {
      this.#logLevel = { level: DEFAULT_LOG_LEVEL };
      return this.#logLevel;
    }
    return { ...this.#logLevel, remaining_seconds: Math.ceil(remainingMs / 1000) };
  }
}
