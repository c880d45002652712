/**
 * Every default of the profile, in one place, and the conversion from the
 * validated YAML shape to the Profile type. docs/profile-reference.md lists
 * the same values; keep the two in step.
 */
import type { AddonSpec, CniPlugin, CpuArch, FlatcarSettings, NodeCapacity, NodeDefaults, NodeTaint, Profile, ProfileNode } from './types.js';
import type { RawAddon, RawArgs, RawCapacity, RawLabels, RawProfile, RawReserved, RawTaints } from './raw-profile.js';
import { parseDuration } from '../util/duration.js';
import { noProxyList } from './no-proxy.js';
import type { KeyAlgorithm } from '../pki/key-algorithm.js';
import { declaredArches } from './node-arches.js';

/** Default values for optional profile fields. */
export const DEFAULTS = {
  apiServerPort: 6443,
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
  kubeProxyMode: 'iptables',
  cniPlugin: 'calico',
  cniVersion: { calico: 'v3.27.0', flannel: 'v0.25.1', none: '' } satisfies Record<CniPlugin, string>,
  tokenTtl: '24h',
  tokenRevokeWhenJoined: true,
  joinTimeout: '60m',
  kubeVipVersion: 'v0.8.0',
  packagesInstall: true,
  aptRepositoryUrl: 'https://pkgs.k8s.io/core:/stable:',
  networkInterface: 'eth0',
  hostsEntries: 'auto',
  firewallMode: 'disabled',
  keyAlgorithm: 'ecdsa-p256' as KeyAlgorithm,
  userSudo: true,
  userShell: '/bin/bash',
  userKubeconfig: true,
  kubeletMaxPods: 110,
  kubeletServerTLSBootstrap: true,
  metricsServerVersion: 'v0.7.1',
  ingressNginxVersion: 'controller-v1.10.1',
  imagePrebaked: false,
  etcdBackupEnabled: true,
  etcdBackupSchedule: 'daily',
  etcdBackupKeep: 7,
  etcdBackupDir: '/var/backups/etcd',
  certificatesAutoRenew: true,
  certificatesRenewBefore: '720h',
  ingressNginxExpose: 'hostPort',
  verifyKeepSmokeWorkloads: false,
  verifyRolloutTimeout: '5m',
  kubeletProtectKernelDefaults: false,
  encryptionAtRest: true,
  podSecurityEnforce: 'baseline',
  podSecurityAudit: 'restricted',
  podSecurityWarn: 'restricted',
  auditEnabled: true,
  auditMaxAge: 7,
  auditMaxBackup: 3,
  auditMaxSizeMB: 100,
  nodeArch: 'amd64',
  allowUnverifiedSysext: false,
} as const;

/** Appends the API server port when `endpoint` has none ("lb.example" → "lb.example:6443"). */
export function withDefaultPort(endpoint: string): string {
  return endpoint.includes(':') ? endpoint : `${endpoint}:${DEFAULTS.apiServerPort}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  // Absent optional fields stay absent (no `key: undefined`), so serialized and
  // deep-compared profiles only show what is set.
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function addon(raw: RawAddon | null | undefined, version: string): AddonSpec {
  return {
    enabled: raw?.enabled ?? false,
    version: raw?.version ?? version,
    ...optional('manifestUrl', raw?.manifestUrl),
    ...optional('manifestFile', raw?.manifestFile),
  };
}

function quantities(raw: RawReserved): Record<string, string> {
  // YAML `cpu: 1` is a number; kubelet config wants strings. Keys sorted for stable output.
  return Object.fromEntries(
    Object.entries(raw ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, String(v)]),
  );
}

function sortedByKey<V>(entries: [string, V][]): Record<string, V> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** extraArgs as strings (YAML `v: 2` is a number), sorted by flag name. */
function args(raw: RawArgs): Record<string, string> {
  return sortedByKey(Object.entries(raw ?? {}).map(([k, v]) => [k, String(v)]));
}

function taints(raw: RawTaints): NodeTaint[] {
  return (raw ?? []).map((t) => ({ key: t.key, ...optional('value', t.value), effect: t.effect }));
}

/**
 * A node's labels and taints: its own, and for a worker nodeDefaults' too. A node's
 * label replaces a default with the same key; its taint replaces a default with the
 * same key and effect (as the API server keys taints).
 */
function nodeMarks(defaults: NodeDefaults, role: ProfileNode['role'], rawLabels: RawLabels, rawTaints: RawTaints): Pick<ProfileNode, 'labels' | 'taints'> {
  const shared = role === 'worker' ? defaults : { labels: {}, taints: [] };
  const own = taints(rawTaints);
  const labels = sortedByKey(Object.entries({ ...shared.labels, ...(rawLabels ?? {}) }));
  const merged = [...shared.taints.filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect)), ...own];
  return { ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(merged.length > 0 ? { taints: merged } : {}) };
}

function nodeCapacity(raw: RawCapacity): NodeCapacity | undefined {
  // YAML `cpu: 4` is a number; quantities are kept as strings like the kubelet fields.
  return raw ? { cpu: String(raw.cpu), memory: String(raw.memory) } : undefined;
}

/**
 * The flatcar block: digests lowercased; a single digest is filed under the architecture
 * of the nodes (the one arch a single image can fit; the rules reject it for a
 * mixed-architecture profile).
 */
function flatcarSettings(raw: RawProfile): FlatcarSettings {
  const f = raw.flatcar;
  const given = f?.sysextSha256;
  const sysextSha256: Partial<Record<CpuArch, string>> = {};
  if (typeof given === 'string') {
    // With nodes of two architectures the rules reject a single digest.
    for (const arch of declaredArches({ nodes: raw.nodes.map((n) => ({ arch: n.arch ?? DEFAULTS.nodeArch })) })) sysextSha256[arch] = given.toLowerCase();
  } else if (given) {
    for (const arch of ['amd64', 'arm64'] as const) if (given[arch] !== undefined) sysextSha256[arch] = given[arch].toLowerCase();
  }
  return {
    ...optional('sysextUrl', f?.sysextUrl),
    sysextSha256,
    sysextSha256Single: typeof given === 'string',
    allowUnverifiedSysext: f?.allowUnverifiedSysext ?? DEFAULTS.allowUnverifiedSysext,
  };
}

/**
 * Fills every default and reshapes the validated YAML into a Profile.
 * Expects data that passed the schema (durations parse, enums are valid);
 * never fails on such input.
 */
export function applyDefaults(raw: RawProfile): Profile {
  const c = raw.cluster;
  const plugin = c.cni?.plugin ?? DEFAULTS.cniPlugin;
  const network = raw.network;
  const firstControlPlane = raw.nodes.find((n) => n.role === 'control-plane');

  // Endpoint precedence: explicit value, then the VIP (a stable address the
  // user asked for), then the first control plane's own IP. The VIP case counts
  // as explicit because joins and kubeconfigs must use it, not a node IP.
  const explicitEndpoint = c.controlPlaneEndpoint ?? (c.vip ? c.vip.address : undefined);
  const controlPlaneEndpoint =
    explicitEndpoint !== undefined
      ? withDefaultPort(explicitEndpoint)
      : firstControlPlane
        ? withDefaultPort(firstControlPlane.ip)
        : '';

  const joinTimeout = parseDuration(c.joinTimeout ?? DEFAULTS.joinTimeout) ?? 0;
  const nodeDefaults: NodeDefaults = {
    labels: sortedByKey(Object.entries(raw.nodeDefaults?.labels ?? {})),
    taints: taints(raw.nodeDefaults?.taints),
  };
  const security = raw.security;
  const kubeadm = raw.kubeadm;
  const interfaceName = network.interface ?? DEFAULTS.networkInterface;

  return {
    cluster: {
      name: c.name,
      kubernetesVersion: c.kubernetesVersion,
      controlPlaneEndpoint,
      controlPlaneEndpointExplicit: explicitEndpoint !== undefined,
      podSubnet: c.podSubnet ?? DEFAULTS.podSubnet,
      serviceSubnet: c.serviceSubnet ?? DEFAULTS.serviceSubnet,
      dnsDomain: c.dnsDomain ?? DEFAULTS.dnsDomain,
      kubeProxyMode: c.kubeProxy?.mode ?? DEFAULTS.kubeProxyMode,
      cni: {
        plugin,
        version: c.cni?.version ?? DEFAULTS.cniVersion[plugin],
        ...optional('manifestUrl', c.cni?.manifestUrl),
        ...optional('manifestFile', c.cni?.manifestFile),
      },
      token: {
        // `ttl: 0` arrives as a YAML integer.
        ttl: c.token?.ttl === undefined ? DEFAULTS.tokenTtl : String(c.token.ttl),
        revokeWhenJoined: c.token?.revokeWhenJoined ?? DEFAULTS.tokenRevokeWhenJoined,
      },
      // Whole seconds, rounded up so "90s500ms" never becomes shorter than asked.
      joinTimeoutSeconds: Math.ceil(joinTimeout),
      ...optional(
        'vip',
        c.vip
          ? {
              address: c.vip.address,
              interface: c.vip.interface ?? interfaceName,
              kubeVipVersion: c.vip.kubeVipVersion ?? DEFAULTS.kubeVipVersion,
            }
          : undefined,
      ),
    },
    runtime: { name: 'containerd', ...optional('sandboxImage', raw.runtime?.containerd?.sandboxImage) },
    packages: {
      install: raw.packages?.install ?? DEFAULTS.packagesInstall,
      aptRepository: {
        url: raw.packages?.aptRepository?.url ?? DEFAULTS.aptRepositoryUrl,
        ...optional('key', raw.packages?.aptRepository?.key),
        ...optional('keyFile', raw.packages?.aptRepository?.keyFile),
      },
    },
    network: {
      cidr: network.cidr,
      ...optional('gateway', network.gateway),
      nameservers: network.nameservers ?? [],
      interface: interfaceName,
      dhcpInterfaces: network.dhcpInterfaces ?? [],
      hostsEntries: network.hostsEntries ?? DEFAULTS.hostsEntries,
    },
    firewall: { mode: raw.firewall?.mode ?? DEFAULTS.firewallMode },
    pki: {
      keyAlgorithm: raw.pki?.keyAlgorithm ?? DEFAULTS.keyAlgorithm,
      keyAlgorithmExplicit: raw.pki?.keyAlgorithm !== undefined,
    },
    access: {
      users: (raw.access?.users ?? []).map((u) => ({
        name: u.name,
        sshAuthorizedKeys: u.sshAuthorizedKeys ?? [],
        sudo: u.sudo ?? DEFAULTS.userSudo,
        shell: u.shell ?? DEFAULTS.userShell,
        kubeconfig: u.kubeconfig ?? DEFAULTS.userKubeconfig,
      })),
    },
    kubelet: {
      systemReserved: quantities(raw.kubelet?.systemReserved),
      kubeReserved: quantities(raw.kubelet?.kubeReserved),
      maxPods: raw.kubelet?.maxPods ?? DEFAULTS.kubeletMaxPods,
      serverTLSBootstrap: raw.kubelet?.serverTLSBootstrap ?? DEFAULTS.kubeletServerTLSBootstrap,
      protectKernelDefaults: raw.kubelet?.protectKernelDefaults ?? DEFAULTS.kubeletProtectKernelDefaults,
    },
    addons: {
      metricsServer: addon(raw.addons?.metricsServer, DEFAULTS.metricsServerVersion),
      ingressNginx: {
        ...addon(raw.addons?.ingressNginx, DEFAULTS.ingressNginxVersion),
        expose: raw.addons?.ingressNginx?.expose ?? DEFAULTS.ingressNginxExpose,
      },
    },
    verify: {
      smokeTest: raw.verify?.smokeTest ?? raw.nodes.some((n) => n.role === 'worker'),
      keepSmokeWorkloads: raw.verify?.keepSmokeWorkloads ?? DEFAULTS.verifyKeepSmokeWorkloads,
      rolloutTimeoutSeconds: Math.ceil(parseDuration(raw.verify?.rolloutTimeout ?? DEFAULTS.verifyRolloutTimeout) ?? 0),
    },
    images: {
      ...optional('repository', raw.images?.repository),
      auth: Object.entries(raw.images?.auth ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([registry, a]) => ({ registry, username: a.username, passwordFile: a.passwordFile })),
      prebaked: raw.image?.prebaked ?? DEFAULTS.imagePrebaked,
    },
    flatcar: flatcarSettings(raw),
    security: {
      encryptionAtRest: security?.encryptionAtRest ?? DEFAULTS.encryptionAtRest,
      podSecurity: {
        enforce: security?.podSecurity?.enforce ?? DEFAULTS.podSecurityEnforce,
        audit: security?.podSecurity?.audit ?? DEFAULTS.podSecurityAudit,
        warn: security?.podSecurity?.warn ?? DEFAULTS.podSecurityWarn,
        exemptNamespaces: security?.podSecurity?.exemptNamespaces ?? [],
      },
      audit: {
        enabled: security?.audit?.enabled ?? DEFAULTS.auditEnabled,
        maxAge: security?.audit?.maxAge ?? DEFAULTS.auditMaxAge,
        maxBackup: security?.audit?.maxBackup ?? DEFAULTS.auditMaxBackup,
        maxSizeMB: security?.audit?.maxSizeMB ?? DEFAULTS.auditMaxSizeMB,
      },
      defaultDenyNamespaces: security?.defaultDenyNamespaces ?? [],
    },
    kubeadm: {
      apiServer: {
        extraArgs: args(kubeadm?.apiServer?.extraArgs),
        extraVolumes: (kubeadm?.apiServer?.extraVolumes ?? []).map((v) => ({
          name: v.name,
          hostPath: v.hostPath,
          mountPath: v.mountPath,
          readOnly: v.readOnly ?? false,
          ...optional('pathType', v.pathType),
        })),
        certSANs: kubeadm?.apiServer?.certSANs ?? [],
      },
      controllerManager: { extraArgs: args(kubeadm?.controllerManager?.extraArgs) },
      scheduler: { extraArgs: args(kubeadm?.scheduler?.extraArgs) },
      etcd: { extraArgs: args(kubeadm?.etcd?.extraArgs) },
      featureGates: sortedByKey(Object.entries(kubeadm?.featureGates ?? {})),
    },
    nodeDefaults,
    ...optional(
      'proxy',
      raw.proxy?.http !== undefined || raw.proxy?.https !== undefined
        ? {
            ...optional('http', raw.proxy.http),
            ...optional('https', raw.proxy.https),
            noProxy: noProxyList({
              nodeCidr: network.cidr,
              podSubnet: c.podSubnet ?? DEFAULTS.podSubnet,
              serviceSubnet: c.serviceSubnet ?? DEFAULTS.serviceSubnet,
              dnsDomain: c.dnsDomain ?? DEFAULTS.dnsDomain,
              controlPlaneEndpoint,
              extra: raw.proxy.noProxy ?? [],
            }),
          }
        : undefined,
    ),
    trust: { ...optional('caBundle', raw.trust?.caBundle), ...optional('caBundleFile', raw.trust?.caBundleFile) },
    time: { servers: raw.time?.servers ?? [] },
    backup: {
      etcd: {
        enabled: raw.backup?.etcd?.enabled ?? DEFAULTS.etcdBackupEnabled,
        schedule: raw.backup?.etcd?.schedule ?? DEFAULTS.etcdBackupSchedule,
        keep: raw.backup?.etcd?.keep ?? DEFAULTS.etcdBackupKeep,
        dir: raw.backup?.etcd?.dir ?? DEFAULTS.etcdBackupDir,
      },
    },
    certificates: {
      autoRenew: raw.certificates?.autoRenew ?? DEFAULTS.certificatesAutoRenew,
      renewBefore: raw.certificates?.renewBefore ?? DEFAULTS.certificatesRenewBefore,
      renewBeforeSeconds: Math.ceil(parseDuration(raw.certificates?.renewBefore ?? DEFAULTS.certificatesRenewBefore) ?? 0),
    },
    nodes: raw.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      ip: n.ip,
      // Lowercase so duplicate detection and interface matching agree.
      ...optional('mac', n.mac?.toLowerCase()),
      arch: n.arch ?? DEFAULTS.nodeArch,
      ...nodeMarks(nodeDefaults, n.role, n.labels, n.taints),
      ...optional('capacity', nodeCapacity(n.capacity ?? (n.role === 'worker' ? raw.nodeDefaults?.capacity : undefined))),
    })),
  };
}
