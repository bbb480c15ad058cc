// Structured JSON logs (pino). Personal data never reaches them: handlers log ids and event names,
// and the redaction below is the safety net for anything that slips through.
import pino, { Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'text',
  'value',
  '*.text',
  '*.value',
  '*.name',
  '*.email',
  '*.phone',
  'activity.text',
  'activity.value',
  'activity.from.name',
  'activity.attachments',
  'answers',
  '*.answers',
  'card',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(level: string = process.env.LOG_LEVEL || 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'cmd-concertation-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
