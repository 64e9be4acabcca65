import { ACTION_NAMES, type ActionName } from '@layerwatch/vocabulary';
import { z } from 'zod/v4';

/** Roles in increasing power: each role may do what the ones before it may. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

// The runbook's actions, the same words the alert rules' `layerwatch_actions` use.
export { ACTION_NAMES, type ActionName };

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name of letters, digits, ".", "_" or "-"');
const seconds = z
  .number()
  .int()
  .min(0)
  .max(7 * 86_400);

const token = z
  .object({
    /** Who the token is: recorded as the audit log's `actor`. */
    name,
    /** sha256 of the token, hex (`layerwatch remediation hash-token`); never the token itself. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits (sha256 of the token)'),
    role: z.enum(ROLES),
    /** After this instant the token is refused: rotate by adding the new one first. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const hmac = z
  .object({
    /** File holding the shared HMAC key (at least 32 bytes). */
    secretFile: z.string().min(1),
    /** Refuse unsigned requests. @default false */
    required: z.boolean().default(false),
    /** Signatures older or newer than this are replays. @default 300 */
    maxSkewSeconds: z.number().int().min(1).max(3600).default(300),
  })
  .strict();

const actionSettings = z
  .object({
    enabled: z.boolean().optional(),
    roles: z.array(z.enum(ROLES)).min(1).optional(),
    cooldownSeconds: seconds.optional(),
    requiresConfirmation: z.boolean().optional(),
  })
  .strict();

const deployment = z
  .object({
    /** The Deployment's name in the cluster. */
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes object name'),
    namespace: z.string().min(1).optional(),
    minReplicas: z.number().int().min(0).default(1),
    maxReplicas: z.number().int().min(1).max(1000).default(10),
  })
  .strict()
  .refine((d) => d.minReplicas <= d.maxReplicas, 'minReplicas must not exceed maxReplicas');

/** RFC 1123 subdomain: what Kubernetes accepts as a node's name. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Kubernetes node's name (a DNS-1123 subdomain, at most 253 characters): the one check
 * of `kubernetes.gpuNodes` and of the node actions' `node` param, so both say the same.
 */
export const nodeName = z
  .string()
  .max(253, { error: 'a Kubernetes node name has at most 253 characters', abort: true })
  .regex(DNS_1123_SUBDOMAIN, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a Kubernetes node name (DNS-1123: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)`,
    abort: true,
  });

/** Each name listed more than once, with its entries: `"a" (entries 0 and 2)`. */
function duplicates(names: readonly string[]): string[] {
  return [...new Set(names)]
    .map((name) => names.flatMap((n, index) => (n === name ? [index] : [])))
    .filter((at) => at.length > 1)
    .map((at) => `"${names[at[0] as number]}" (entries ${at.join(' and ')})`);
}

const gpuNodes = z
  .array(nodeName)
  .max(10_000)
  .refine((nodes) => duplicates(nodes).length === 0, {
    error: (issue) => `listed twice: ${duplicates(issue.input as string[]).join(', ')}`,
    // Named even beside an entry that is no node name.
    when: (payload) => Array.isArray(payload.value),
  });

const drain = z
  .object({
    /** A node with more pods to evict is refused before anything changes. @default 110 (the kubelet's max-pods) */
    maxPods: z.number().int().min(1).max(1000).default(110),
    /** Eviction tries per pod while a PodDisruptionBudget answers 429. @default 3 */
    evictionAttempts: z.number().int().min(1).max(20).default(3),
    /** Wait between those tries. @default 5 */
    retrySeconds: z.number().min(0).max(60).default(5),
  })
  .strict();

const kubernetes = z
  .object({
    /** `kubeconfig` (the file, KUBECONFIG or ~/.kube/config) or `in-cluster`. */
    source: z.enum(['kubeconfig', 'in-cluster']).default('kubeconfig'),
    kubeconfig: z.string().optional(),
    /** Namespace of deployments that name none. @default 'layerwatch' */
    namespace: z.string().min(1).default('layerwatch'),
    fieldManager: z.string().min(1).default('layerwatch-remediation'),
    /** The registry's deployments: the only ones an action may touch. @default {} */
    deployments: z.record(name, deployment).default({}),
    /** The GPU nodes cordon-gpu-node and drain-gpu-node may act on, by node name. @default [] */
    gpuNodes: gpuNodes.default([]),
    /** Bounds of drain-gpu-node; its time is bounded by `limits.actionTimeoutSeconds`. */
    drain: drain.default({ maxPods: 110, evictionAttempts: 3, retrySeconds: 5 }),
  })
  .strict();

const httpService = z.object({ name, layer: z.string().regex(/^[0-9]+$/), url: z.url() }).strict();

const http = z
  .object({
    services: z.array(httpService).min(1),
    /** The service that owns layer 4's batching knob. @default 'agent' */
    batchingService: name.default('agent'),
    /** The service that owns layer 7's evolution rollback. @default 'evolution' */
    evolutionService: name.default('evolution'),
    timeoutSeconds: z.number().min(0.1).max(120).default(10),
  })
  .strict();

const store = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('postgres'),
      /** postgres://user@host:port/db; a password goes in passwordFile, not here. */
      url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
      passwordFile: z.string().optional(),
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('layerwatch_remediation'),
    })
    .strict(),
]);

const autoRule = z
  .object({
    name,
    /** Every label must equal this value on the alert. */
    matchLabels: z.record(z.string(), z.string()),
    action: z.enum(ACTION_NAMES),
    /** Fixed params, or `{ from: label }` to take a value from the alert's labels. */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const webhook = z
  .object({
    /** Token names allowed to post pages. @default ['alertmanager'] */
    senders: z.array(name).min(1).default(['alertmanager']),
    autoRemediation: z
      .object({
        enabled: z.boolean().default(false),
        /** The service identity auto-remediation acts as, with its role. */
        identity: name.default('alertmanager-auto'),
        role: z.enum(ROLES).default('operator'),
        rules: z.array(autoRule).default([]),
      })
      .strict()
      .default({ enabled: false, identity: 'alertmanager-auto', role: 'operator', rules: [] }),
  })
  .strict();

export const configSchema = z
  .object({
    listen: z
      .string()
      .regex(/^[^:]+:[0-9]{1,5}$|^\[[0-9a-fA-F:]+\]:[0-9]{1,5}$/, 'HOST:PORT')
      .default('127.0.0.1:9702'),
    store,
    auth: z.object({ tokens: z.array(token).min(1), hmac: hmac.optional() }).strict(),
    audit: z
      .object({
        /** File holding the chain's HMAC key (at least 32 bytes); without one, plain SHA-256. */
        keyFile: z.string().min(1).optional(),
        /** File rewritten with the chain's head (seq, hash) after every commit. */
        anchorFile: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    confirmation: z
      .object({
        ttlSeconds: z.number().int().min(10).max(3600).default(120),
        /** Key that signs confirmation tokens; without one, a random key per process. */
        secretFile: z.string().optional(),
      })
      .strict()
      .default({ ttlSeconds: 120 }),
    limits: z
      .object({
        bodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(10 * 1024 * 1024)
          .default(64 * 1024),
        maxConcurrentActions: z.number().int().min(1).max(1000).default(4),
        actionTimeoutSeconds: z.number().min(1).max(600).default(30),
        idempotencyTtlHours: z
          .number()
          .min(1)
          .max(24 * 30)
          .default(24),
      })
      .strict()
      .default({
        bodyBytes: 64 * 1024,
        maxConcurrentActions: 4,
        actionTimeoutSeconds: 30,
        idempotencyTtlHours: 24,
      }),
    replica: z
      .object({
        /**
         * This replica's name in the shared store; unique per replica. @default the
         * LAYERWATCH_REPLICA_ID environment variable, else the host name.
         */
        id: name.optional(),
        /** How long its claim on its in-flight executions outlives a missed heartbeat. */
        leaseSeconds: z.number().min(1).max(3600).default(30),
      })
      .strict()
      .default({ leaseSeconds: 30 }),
    kubernetes: kubernetes.optional(),
    http: http.optional(),
    alertmanager: z
      .object({
        url: z.url(),
        maxSilenceMinutes: z
          .number()
          .int()
          .min(1)
          .default(24 * 60),
      })
      .strict()
      .optional(),
    actions: z.partialRecord(z.enum(ACTION_NAMES), actionSettings).default({}),
    webhook: webhook.default({
      senders: ['alertmanager'],
      autoRemediation: {
        enabled: false,
        identity: 'alertmanager-auto',
        role: 'operator',
        rules: [],
      },
    }),
  })
  .strict();

export type RemediationConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type TokenConfig = z.infer<typeof token>;
export type DeploymentConfig = z.infer<typeof deployment>;
export type KubernetesConfig = z.infer<typeof kubernetes>;
export type DrainConfig = z.infer<typeof drain>;
export type HttpConfig = z.infer<typeof http>;
export type AutoRule = z.infer<typeof autoRule>;
export type StoreConfig = z.infer<typeof store>;
