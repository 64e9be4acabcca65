/**
 * Why a probe failed: the value of the `reason` label on
 * `layerwatch_probe_failures_total`. A closed set keeps that label's cardinality bounded.
 */
export const FAILURE_REASONS = [
  'timeout', // the probe's deadline passed
  'dns', // the target's host did not resolve
  'connection_refused',
  'connection_reset', // reset or closed before a full answer
  'connection_failed', // any other socket-level error (unreachable, …)
  'tls', // handshake failed: expired, self-signed, wrong name, …
  'status_code', // HTTP status not among the valid ones
  'redirect', // a redirect where redirects are not followed, or too many
  'body_mismatch', // a body regexp rule failed
  'json_assertion', // a JSON-field assertion failed or the body is not JSON
  'body_too_large', // the body exceeded the module's byte cap
  'expect_mismatch', // a TCP/Redis/PostgreSQL answer differed from what was expected
  'protocol', // the peer spoke something other than the protocol
  'auth', // the peer refused our credentials
  'rejecting', // the server answered but refuses connections (PostgreSQL starting up, …)
  'query', // the check query failed
  'invalid_target', // the target string cannot be probed by this prober
  'internal', // a bug of ours: the prober threw; logged with its stack
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];
