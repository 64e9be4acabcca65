/**
 * Where the factory pipeline keeps its ledger and exports, relative to its checkout, and how
 * the verifier reads them. The writer, `layerwatch verify-checksums` and the probe daemon's
 * `collectors.checksums` block all default to these, so they agree without a test.
 */
export const DEFAULT_LEDGER = 'exchange/ledger/index.json';
export const DEFAULT_EXPORTS_DIR = '.toyfoundry/telemetry/quilt/exports';
/** Hashing threads of the verifier. */
export const DEFAULT_HASH_WORKERS = 2;
/** Read size of the verifier, as a byte size (see byte-size.ts). */
export const DEFAULT_READ_CHUNK_SIZE = '4MiB';
