/**
 * Reads what `gen-userdata status` needs from the API server with the official
 * client, @kubernetes/client-node (1.x: its 2.x line needs Node ≥ 22). The client is
 * imported lazily, here only: loading it costs more than a whole generate run, and
 * the bundle keeps it external (scripts/bundle-cli.mjs).
 */
import type { LiveNode, ReportInput } from '../status/cluster-status.js';
import { parseVerifyReport } from '../status/cluster-status.js';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CONFIGMAP, STATUS_CONFIGMAP_KEY } from '../plan/cluster-verify.js';
import { CERTS_CONFIGMAP } from '../plan/node-tools.js';

/** The API server could not be asked: unreachable, refused TLS, refused credentials. */
export class ApiError extends Error {
  /** True when waiting may help (connection refused, timeout); false for TLS and credential errors. */
  readonly transient: boolean;
  constructor(message: string, transient: boolean) {
    super(message);
    this.transient = transient;
  }
}

/** What the cluster says right now. */
export interface ClusterState {
  nodes: LiveNode[];
  report: ReportInput;
  /** ConfigMap kube-system/gen-userdata-certs: control plane -> "<RFC 3339> <certificate>"; empty when absent. */
  certificates: Record<string, string>;
  /** When the kubeconfig's own client certificate expires; absent when it has none (a token) or it is unreadable. */
  clientCertificateExpiry?: Date;
}

/** The expiry of the kubeconfig user's client certificate (inline data or file), if it has a readable one. */
function clientCertificateExpiry(user: { certData?: string; certFile?: string } | null): Date | undefined {
  try {
    const pem = user?.certData !== undefined ? Buffer.from(user.certData, 'base64') : user?.certFile !== undefined ? readFileSync(user.certFile) : undefined;
    return pem === undefined ? undefined : new Date(new X509Certificate(pem).validTo);
  } catch {
    // Not a certificate we can read: status simply does not print its expiry.
    return undefined;
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Turns what the client threw into an ApiError naming the endpoint. */
function describe(err: unknown, server: string): ApiError {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'number') {
    const why = e.code === 401 ? 'rejected the credentials' : e.code === 403 ? 'denied access' : `answered HTTP ${e.code}`;
    return new ApiError(`the API server at ${server} ${why}`, e.code >= 500);
  }
  const code = String(e?.code ?? e?.errno ?? e?.cause?.code ?? '');
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (TLS_CODES.test(code) || /certificate|self[- ]signed|TLS|SSL/i.test(message)) {
    return new ApiError(`cannot trust the API server at ${server}: ${message} (is this kubeconfig's CA the cluster's?)`, false);
  }
  if (NETWORK_CODES.has(code) || /timed out/.test(message)) {
    return new ApiError(`cannot reach the API server at ${server}: ${code || message}`, true);
  }
  return new ApiError(`cannot read from the API server at ${server}: ${message}`, true);
}

/** Rejects after `ms` so a silent server cannot hang the command. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Loads @kubernetes/client-node (once; later calls get the loaded module). Kept out of
 * plain generation's path; loading it takes a second or more on a busy machine, which
 * `status --watch` does before its timeout starts counting.
 */
export function loadKubeClient(): Promise<typeof import('@kubernetes/client-node')> {
  return import('@kubernetes/client-node');
}

/**
 * Lists the Nodes and reads ConfigMaps kube-system/gen-userdata-status and
 * gen-userdata-certs with the kubeconfig at `kubeconfigPath` (TLS verified against
 * its CA). A missing ConfigMap is a missing report or record, not an error. Rejects with ApiError; any other rejection is a bug.
 */
export async function readClusterState(kubeconfigPath: string, requestTimeoutMs = 10_000): Promise<ClusterState> {
  const k8s = await loadKubeClient();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const server = kc.getCurrentCluster()?.server ?? '(no server in the kubeconfig)';
  const core = kc.makeApiClient(k8s.CoreV1Api);
  try {
    const list = await withTimeout(core.listNode(), requestTimeoutMs);
    const nodes: LiveNode[] = list.items.map((n) => ({
      name: n.metadata?.name ?? '',
      kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '',
      ready: (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    }));
    let report: ReportInput;
    try {
      const cm = await withTimeout(core.readNamespacedConfigMap({ name: STATUS_CONFIGMAP, namespace: 'kube-system' }), requestTimeoutMs);
      const text = cm.data?.[STATUS_CONFIGMAP_KEY];
      if (text === undefined) {
        report = { kind: 'invalid', message: `ConfigMap kube-system/${STATUS_CONFIGMAP} has no ${STATUS_CONFIGMAP_KEY}` };
      } else {
        const parsed = parseVerifyReport(text);
        report = parsed.ok ? { kind: 'found', report: parsed.report } : { kind: 'invalid', message: parsed.message };
      }
    } catch (err) {
      if ((err as { code?: unknown }).code !== 404) throw err;
      report = { kind: 'missing' };
    }
    let certificates: Record<string, string> = {};
    try {
      const cm = await withTimeout(core.readNamespacedConfigMap({ name: CERTS_CONFIGMAP, namespace: 'kube-system' }), requestTimeoutMs);
      certificates = { ...(cm.data ?? {}) };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 404) throw err;
    }
    const expiry = clientCertificateExpiry(kc.getCurrentUser());
    return { nodes, report, certificates, ...(expiry !== undefined ? { clientCertificateExpiry: expiry } : {}) };
  } catch (err) {
    throw describe(err, server);
  }
}
