import { Document } from 'yaml';
import type { NodePlan } from '../../plan/types.js';

/**
 * Network config version 2. Routes use `to: 0.0.0.0/0` because `to: default` fails
 * outside netplan (cloud-init 22.4 on Debian renders ENI/networkd).
 */
export function emitNetworkConfig(plan: NodePlan): string {
  const net = plan.network;
  const ethernets: Record<string, unknown> = {};
  for (const name of net.dhcpInterfaces) ethernets[name] = { dhcp4: true };
  const staticIf: Record<string, unknown> = {};
  if ('macAddress' in net.match) {
    staticIf['match'] = { macaddress: net.match.macAddress };
    staticIf['set-name'] = net.interfaceName;
  }
  staticIf['dhcp4'] = false;
  staticIf['addresses'] = [net.address];
  if (net.gateway !== undefined) staticIf['routes'] = [{ to: '0.0.0.0/0', via: net.gateway }];
  if (net.nameservers.length > 0) staticIf['nameservers'] = { addresses: net.nameservers };
  ethernets[net.interfaceName] = staticIf;
  return new Document({ network: { version: 2, ethernets } }, { version: '1.1' }).toString({ lineWidth: 0 });
}
