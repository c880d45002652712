/**
 * A valid profile with `nodeCount` nodes (3 control planes behind an explicit
 * endpoint, the rest workers) on 172.16.0.0/16, for benchmarks; valid for every
 * output format (Ignition's sysext has a mirror URL and a digest).
 */
export function syntheticProfile(nodeCount: number): string {
  const nodes: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const ip = `172.16.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}`;
    const role = i < 3 ? 'control-plane' : 'worker';
    nodes.push(`  - {name: node-${String(i).padStart(4, '0')}, role: ${role}, ip: ${ip}}`);
  }
  return [
    'cluster:',
    '  name: synthetic',
    '  kubernetesVersion: 1.30.0',
    '  controlPlaneEndpoint: 172.16.0.5:6443',
    '  podSubnet: 10.244.0.0/14',
    '  kubeProxy: {mode: ipvs}',
    '  cni: {plugin: calico, version: v3.27.0}',
    'network:',
    '  cidr: 172.16.0.0/16',
    '  gateway: 172.16.0.1',
    '  nameservers: [172.16.0.2]',
    'firewall: {mode: ports}',
    // Ignition output needs a verified sysext; 1.30 is served from a mirror (the bakery starts at 1.31).
    'flatcar:',
    '  sysextUrl: https://mirror.example.internal/kubernetes-v1.30.0-x86-64.raw',
    `  sysextSha256: ${'5e'.repeat(32)}`,
    'nodes:',
    ...nodes,
    '',
  ].join('\n');
}
