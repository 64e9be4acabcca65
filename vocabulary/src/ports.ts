/**
 * Layerwatch's own default ports (the layers' ports are in layers.ts). Everything binds to
 * 127.0.0.1 unless configured otherwise; tests never use these, they take free ports.
 */
export const LAYERWATCH_PORTS = {
  probes: 9701,
  remediation: 9702,
  /** The GPU node's own probe daemon (GPU collector only), as every GPU node runs one. */
  gpuNode: 9703,
  prometheus: 9090,
  alertmanager: 9093,
  pluginHost: 3000,
} as const;
