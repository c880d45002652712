/**
 * systemd-networkd configuration for Flatcar, built from a NodePlan's network.
 * Flatcar configures interfaces with networkd; its catch-all DHCP file
 * (/usr/lib/systemd/network/zz-default.network) sorts after ours, so an
 * interface matched here gets our settings and every other one keeps DHCP.
 */
import type { PlanNetwork } from '../../plan/types.js';

/** A text file for /etc/systemd/network. */
export interface NetworkdFile {
  path: string;
  content: string;
}

/** Directory networkd reads administrator configuration from. */
export const NETWORKD_DIR = '/etc/systemd/network';
/** The static interface's file; "00-" makes it win over distribution defaults. */
export const STATIC_NETWORK_FILE = `${NETWORKD_DIR}/00-gen-userdata.network`;

/**
 * Returns the .network files for a node: one static file for the node interface
 * ([Match] by MAC when the plan has one, else by name; Address, Gateway, DNS) and
 * one DHCP=yes file per extra DHCP interface, in a stable order. Never fails.
 *
 * A MAC match does not rename the interface (that would need a .link file applied
 * by udev before the interface comes up, which a first-boot config cannot promise);
 * the interface keeps its kernel name.
 */
export function networkdFiles(network: PlanNetwork): NetworkdFile[] {
  const match = 'macAddress' in network.match ? `MACAddress=${network.match.macAddress}` : `Name=${network.match.name}`;
  const lines = ['[Match]', match, '', '[Network]', `Address=${network.address}`];
  if (network.gateway) lines.push(`Gateway=${network.gateway}`);
  for (const dns of network.nameservers) lines.push(`DNS=${dns}`);
  const files: NetworkdFile[] = [{ path: STATIC_NETWORK_FILE, content: `${lines.join('\n')}\n` }];
  for (const name of network.dhcpInterfaces) {
    files.push({
      path: `${NETWORKD_DIR}/01-gen-userdata-dhcp-${name}.network`,
      content: ['[Match]', `Name=${name}`, '', '[Network]', 'DHCP=yes', ''].join('\n'),
    });
  }
  return files;
}
