/**
 * Rules about the node list: uniqueness, roles, and what the number of control
 * planes implies for the API endpoint and etcd.
 */
import type { Profile } from '../types.js';
import { error, warning, type Finding } from './finding.js';

/** Reports the second and later node with a name, IP or MAC already used by an earlier node. */
export function uniqueNodeFields(p: Profile): Finding[] {
  const out: Finding[] = [];
  const fields = [
    { key: 'name', code: 'duplicate-node-name', what: 'node name' },
    { key: 'ip', code: 'duplicate-ip', what: 'IP address' },
    { key: 'mac', code: 'duplicate-mac', what: 'MAC address' },
  ] as const;
  for (const f of fields) {
    const first = new Map<string, number>();
    p.nodes.forEach((n, i) => {
      const v = n[f.key];
      if (v === undefined) return;
      const j = first.get(v);
      if (j === undefined) first.set(v, i);
      else out.push(error(f.code, `/nodes/${i}/${f.key}`, `${f.what} ${v} is already used by node ${j} (${p.nodes[j]?.name})`));
    });
  }
  return out;
}

function controlPlanes(p: Profile): number {
  return p.nodes.filter((n) => n.role === 'control-plane').length;
}

/** Errors when no node has role control-plane: nothing would run kubeadm init. */
export function hasControlPlane(p: Profile): Finding[] {
  return controlPlanes(p) === 0
    ? [error('no-control-plane', '/nodes', 'no node has role control-plane; one is needed to run kubeadm init')]
    : [];
}

/**
 * Errors when several control planes share no stable endpoint. Extra control
 * planes and workers would otherwise join the first node's own IP, and the
 * cluster would lose its API address with that node.
 */
export function endpointRequired(p: Profile): Finding[] {
  const n = controlPlanes(p);
  if (n < 2 || p.cluster.controlPlaneEndpointExplicit) return [];
  return [
    error(
      'endpoint-required',
      '/cluster/controlPlaneEndpoint',
      `${n} control-plane nodes need cluster.controlPlaneEndpoint (a load balancer or DNS name in front of them, "host:port") or cluster.vip; ` +
        'kubeadm only lets extra control planes join a cluster initialised with a shared endpoint',
    ),
  ];
}

/**
 * Warns for 2 or 4 control planes: etcd needs a majority, so 2 members
 * tolerate no failure (like 1) and 4 tolerate one (like 3), with more
 * members that can fail.
 */
export function etcdQuorum(p: Profile): Finding[] {
  const n = controlPlanes(p);
  if (n !== 2 && n !== 4) return [];
  const tolerated = Math.floor((n - 1) / 2);
  return [
    warning(
      'etcd-quorum',
      '/nodes',
      `${n} control planes run ${n} etcd members, which need ${Math.floor(n / 2) + 1} for quorum and so tolerate ${tolerated} failure${tolerated === 1 ? '' : 's'}, ` +
        `no more than ${n - 1} would; use an odd number (1, 3 or 5)`,
    ),
  ];
}

/** Errors when two login users share a name. */
export function uniqueUsers(p: Profile): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  p.access.users.forEach((u, i) => {
    if (seen.has(u.name)) out.push(error('duplicate-user', `/access/users/${i}/name`, `user ${u.name} is listed twice`));
    seen.add(u.name);
  });
  return out;
}
