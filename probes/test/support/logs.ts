import { type Logger, pino } from 'pino';

/** A debug logger whose lines land, parsed, in `into` (the caller types them). */
export function loggerInto<Line>(into: Line[]): Logger {
  return pino({ level: 'debug' }, { write: (line: string) => void into.push(JSON.parse(line)) });
}
