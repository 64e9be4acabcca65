import { describe, expect, it } from 'vitest';
import { parseLogLevel, parseMaintenance, ServiceSettings } from '../src/settings.js';

describe('settings', () => {
  it('parses log level requests and pins their errors', () => {
    expect(parseLogLevel({ level: 'debug', duration_seconds: 60 })).toEqual({
      level: 'debug',
      duration_seconds: 60,
    });
    expect(() => parseLogLevel({ level: 'trace' })).toThrow(
      'level: "trace" is not one of debug, info, warn, error',
    );
    expect(() => parseLogLevel({ level: 'info', duration: 5 })).toThrow(
      'unknown key "duration" in a log level request; valid keys are level, duration_seconds',
    );
  });

  it('parses maintenance requests', () => {
    expect(parseMaintenance({ enabled: true })).toBe(true);
    expect(() => parseMaintenance({ enabled: 'on' })).toThrow('enabled: "on" is not true or false');
  });

  it('returns a timed log level to info when it runs out', () => {
    let now = 0;
    const settings = new ServiceSettings({ now: () => now, random: () => 0 });
    expect(settings.logLevel()).toEqual({ level: 'info' });
    settings.setLogLevel({ level: 'debug', duration_seconds: 10 });
    now = 2500;
    expect(settings.logLevel()).toEqual({
      level: 'debug',
      duration_seconds: 10,
      remaining_seconds: 8,
    });
    now = 10_000;
    expect(settings.logLevel()).toEqual({ level: 'info' });
  });
});
