/**
 * `gen-userdata status`, the pure part: combines the profile, the Nodes the API
 * server knows and the verifier's report (ConfigMap kube-system/gen-userdata-status)
 * into one view and an overall state. The CLI fetches the inputs and prints.
 */
import type { Profile } from '../profile/types.js';

/** What the API server says about one Node. */
export interface LiveNode {
  name: string;
  kubeletVersion: string;
  ready: boolean;
}

/** The verifier's report (report.json), as written by templates/verify/cluster-verify.sh. */
export interface VerifyReport {
  cluster: string;
  kubernetesVersion: string;
  verdict: 'running' | 'verified' | 'failed';
  startedAt: string;
  finishedAt: string;
  nodes: { name: string; role: string; ip: string; registered: boolean; ready: boolean; kubeletVersion: string; problem: string }[];
  checks: { name: string; status: 'pending' | 'ok' | 'failed'; message: string; at: string; events: string }[];
}

export type Overall = 'verified' | 'pending' | 'failed';

/** One row of the node table. */
export interface NodeRow {
  name: string;
  /** "control-plane" | "worker", or "-" for a node the profile does not list. */
  role: string;
  ip: string;
  registered: boolean;
  ready: boolean;
  kubeletVersion: string;
  /** "ok", "pending", "failed: <why>", "no report yet" or "not in profile". */
  verifier: string;
}

/** One row of the check table. */
export interface CheckRow {
  name: string;
  status: 'ok' | 'failed' | 'pending';
  message: string;
  events: string;
}

/** A certificate and when it expires. */
export interface CertificateExpiry {
  /** e.g. "apiserver" (kubeadm's name), or "admin.conf" for the kubeconfig in use. */
  certificate: string;
  /** The control plane it lives on; absent for the local kubeconfig. */
  node?: string;
  /** RFC 3339, UTC. */
  expires: string;
  daysLeft: number;
}

/** What `status` knows about certificate lifetimes. */
export interface CertificatesView {
  /** The earliest kubeadm leaf certificate expiry any control plane recorded; absent when none has. */
  earliest?: CertificateExpiry;
  /** Control planes whose record could not be read (value not "<RFC 3339> <name>"). */
  unreadable: string[];
  /** The client certificate of the kubeconfig `status` used, when it has one. */
  kubeconfig?: CertificateExpiry;
}

const DAY_MS = 24 * 3600 * 1000;
const RECORD = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ([A-Za-z0-9._-]+)$/;

/**
 * The certificates view from ConfigMap kube-system/gen-userdata-certs (one key per
 * control plane: "<RFC 3339> <certificate>", written by its certificate job) and the
 * local kubeconfig's client certificate expiry. Pure: cluster data is input, never throws.
 */
export function certificatesView(records: Readonly<Record<string, string>>, kubeconfigExpiry: Date | undefined, now: Date): CertificatesView {
  const days = (d: Date): number => Math.floor((d.getTime() - now.getTime()) / DAY_MS);
  const unreadable: string[] = [];
  let earliest: CertificateExpiry | undefined;
  for (const node of Object.keys(records).sort()) {
    const m = RECORD.exec(records[node]!);
    const at = m === null ? undefined : new Date(m[1]!);
    if (m === null || at === undefined || Number.isNaN(at.getTime())) {
      unreadable.push(node);
      continue;
    }
    if (earliest === undefined || at.getTime() < Date.parse(earliest.expires)) {
      earliest = { certificate: m[2]!, node, expires: m[1]!, daysLeft: days(at) };
    }
  }
  return {
    ...(earliest !== undefined ? { earliest } : {}),
    unreadable,
    ...(kubeconfigExpiry !== undefined
      ? { kubeconfig: { certificate: 'kubeconfig', expires: kubeconfigExpiry.toISOString().replace(/\.\d{3}Z$/, 'Z'), daysLeft: days(kubeconfigExpiry) } }
      : {}),
  };
}

/** Everything `status` prints. */
export interface StatusView {
  cluster: string;
  overall: Overall;
  /** One line saying why overall is what it is. */
  summary: string;
  nodes: NodeRow[];
  checks: CheckRow[];
  report?: { verdict: VerifyReport['verdict']; startedAt: string; finishedAt: string };
  certificates?: CertificatesView;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses report.json from the ConfigMap. Returns the report, or an error message when
 * it is not JSON or not the verifier's shape (cluster data is input: never throws).
 */
export function parseVerifyReport(text: string): { ok: true; report: VerifyReport } | { ok: false; message: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `report.json is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isObject(data)) return { ok: false, message: 'report.json is not an object' };
  const verdict = data['verdict'];
  if (verdict !== 'running' && verdict !== 'verified' && verdict !== 'failed') return { ok: false, message: `report.json has an unknown verdict ${JSON.stringify(verdict)}` };
  const nodes = Array.isArray(data['nodes']) ? data['nodes'].filter(isObject) : [];
  const checks = Array.isArray(data['checks']) ? data['checks'].filter(isObject) : [];
  const str = (o: Record<string, unknown>, k: string): string => (isString(o[k]) ? o[k] : '');
  return {
    ok: true,
    report: {
      cluster: str(data, 'cluster'),
      kubernetesVersion: str(data, 'kubernetesVersion'),
      verdict,
      startedAt: str(data, 'startedAt'),
      finishedAt: str(data, 'finishedAt'),
      nodes: nodes.map((n) => ({
        name: str(n, 'name'),
        role: str(n, 'role'),
        ip: str(n, 'ip'),
        registered: n['registered'] === true,
        ready: n['ready'] === true,
        kubeletVersion: str(n, 'kubeletVersion'),
        problem: str(n, 'problem'),
      })),
      checks: checks.map((c) => ({
        name: str(c, 'name'),
        status: c['status'] === 'ok' || c['status'] === 'failed' ? c['status'] : 'pending',
        message: str(c, 'message'),
        at: str(c, 'at'),
        events: str(c, 'events'),
      })),
    },
  };
}

/** The report as the status command found it: absent (no ConfigMap yet), unreadable, or parsed. */
export type ReportInput = { kind: 'missing' } | { kind: 'invalid'; message: string } | { kind: 'found'; report: VerifyReport };

/**
 * The status view. Overall: "verified" when the verifier's verdict is verified and
 * every profile node is still registered, Ready and on the profile's kubelet;
 * "failed" when the verdict is failed, the report is unreadable, or a node broke
 * after a verified run; "pending" while there is no report or the verifier runs.
 */
export function clusterStatus(profile: Profile, live: readonly LiveNode[], input: ReportInput): StatusView {
  const want = `v${profile.cluster.kubernetesVersion}`;
  const liveByName = new Map(live.map((n) => [n.name, n]));
  const profileNames = new Set(profile.nodes.map((n) => n.name));
  const report = input.kind === 'found' ? input.report : undefined;
  const reported = new Map((report?.nodes ?? []).map((n) => [n.name, n]));

  const nodes: NodeRow[] = profile.nodes.map((n) => {
    const l = liveByName.get(n.name);
    const r = reported.get(n.name);
    let verifier: string;
    if (report === undefined) verifier = 'no report yet';
    else if (r === undefined) verifier = report.verdict === 'running' ? 'pending' : 'failed: not in the report';
    else if (r.problem === '') verifier = report.verdict === 'running' ? 'pending' : 'ok';
    else verifier = report.verdict === 'running' ? `pending: ${r.problem}` : `failed: ${r.problem}`;
    return {
      name: n.name,
      role: n.role,
      ip: n.ip,
      registered: l !== undefined,
      ready: l?.ready ?? false,
      kubeletVersion: l?.kubeletVersion ?? '',
      verifier,
    };
  });
  for (const l of [...live].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!profileNames.has(l.name)) {
      nodes.push({ name: l.name, role: '-', ip: '-', registered: true, ready: l.ready, kubeletVersion: l.kubeletVersion, verifier: 'not in profile' });
    }
  }

  const checks: CheckRow[] = (report?.checks ?? []).map((c) => ({ name: c.name, status: c.status, message: c.message, events: c.events }));
  const broken = nodes.filter((n) => n.role !== '-' && (!n.registered || !n.ready || n.kubeletVersion !== want)).map((n) => n.name);

  let overall: Overall;
  let summary: string;
  if (input.kind === 'invalid') {
    overall = 'failed';
    summary = `the verifier's report is unreadable: ${input.message}`;
  } else if (report === undefined) {
    overall = 'pending';
    summary = 'no verifier report yet (ConfigMap kube-system/gen-userdata-status): the init node is still bootstrapping';
  } else if (report.verdict === 'running') {
    overall = 'pending';
    const done = checks.filter((c) => c.status !== 'pending').length;
    summary = `the verifier is running (started ${report.startedAt}; ${done} of ${checks.length} checks done)`;
  } else if (report.verdict === 'failed') {
    overall = 'failed';
    const failed = checks.filter((c) => c.status !== 'ok').map((c) => c.name);
    summary = `the verifier failed (${report.finishedAt}): ${failed.join(', ') || 'see the checks'}`;
  } else if (broken.length > 0) {
    overall = 'failed';
    summary = `verified at ${report.finishedAt}, but now not Ready on kubelet ${want}: ${broken.join(', ')}`;
  } else {
    overall = 'verified';
    summary = `verified at ${report.finishedAt}`;
  }
  return {
    cluster: profile.cluster.name,
    overall,
    summary,
    nodes,
    checks,
    ...(report !== undefined ? { report: { verdict: report.verdict, startedAt: report.startedAt, finishedAt: report.finishedAt } } : {}),
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The view as the two tables and a verdict line, for a terminal. */
export function formatStatus(view: StatusView): string {
  const nodes = table(
    ['NODE', 'ROLE', 'IP', 'REGISTERED', 'READY', 'KUBELET', 'VERIFIER'],
    view.nodes.map((n) => [n.name, n.role, n.ip, yesNo(n.registered), n.registered ? yesNo(n.ready) : '-', n.kubeletVersion || '-', n.verifier]),
  );
  const parts = [nodes];
  if (view.checks.length > 0) {
    // Failure text may span lines (kubectl output); keep one row per check.
    parts.push(table(['CHECK', 'STATUS', 'DETAIL'], view.checks.map((c) => [c.name, c.status, c.message.replace(/\s*\n\s*/g, ' ')])));
    for (const c of view.checks.filter((x) => x.status === 'failed' && x.events.trim() !== '')) {
      parts.push(`events for ${c.name}:\n${c.events.replace(/\n+$/, '').split('\n').map((l) => `  ${l}`).join('\n')}`);
    }
  }
  if (view.certificates !== undefined) parts.push(formatCertificates(view.certificates));
  parts.push(`cluster ${view.cluster}: ${view.overall.toUpperCase()}: ${view.summary}`);
  return `${parts.join('\n\n')}\n`;
}

function formatCertificates(c: CertificatesView): string {
  const left = (e: CertificateExpiry): string => (e.daysLeft < 0 ? 'EXPIRED' : `${e.daysLeft} days left`);
  const lines = [
    c.earliest !== undefined
      ? `certificates: earliest kubeadm certificate expiry ${c.earliest.expires} (${c.earliest.certificate} on ${c.earliest.node}; ${left(c.earliest)})`
      : 'certificates: no control plane has recorded its expiry yet (ConfigMap kube-system/gen-userdata-certs, daily; needs certificates.autoRenew)',
  ];
  if (c.unreadable.length > 0) lines.push(`certificates: unreadable record from ${c.unreadable.join(', ')}`);
  if (c.kubeconfig !== undefined) lines.push(`kubeconfig: client certificate expires ${c.kubeconfig.expires} (${left(c.kubeconfig)})`);
  return lines.join('\n');
}
