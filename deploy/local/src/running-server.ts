/** Receives each line a server prints; without one, lines are kept only for error messages. */
export type LogFn = (line: string) => void;

/** A server started on loopback for tests or `make up`; `stop()` resolves once it has exited. */
export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** A server certificate and its private key, both PEM. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}
