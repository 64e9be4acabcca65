import { writeFile } from 'node:fs/promises';
import { THRESHOLDS_FILE, thresholdsSource } from './thresholds.js';

// Writes src/generated/thresholds.ts from the alert-rules config.
await writeFile(THRESHOLDS_FILE, await thresholdsSource());
console.log(`wrote ${THRESHOLDS_FILE.pathname}`);
