/**
 * systemd units the Ignition config adds around a NodePlan: the oneshot that runs
 * the bootstrap script, the containerd drop-in that makes Flatcar's containerd
 * read /etc/containerd/config.toml, and the kubelet enablement.
 */
import type { NodePlan } from '../../plan/types.js';
import type { IgnitionUnit } from './types.js';
import { NODE_PATHS } from '../../plan/paths.js';

/** Name of the oneshot that runs the bootstrap script at first boot. */
export const BOOTSTRAP_UNIT = 'gen-userdata-bootstrap.service';
/** containerd config path the plan writes; Flatcar's containerd does not read it by default. */
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
/** Drop-in name Flatcar's "Customizing Docker" guide uses for a custom containerd config. */
export const CONTAINERD_DROPIN = '10-use-custom-config.conf';
/**
 * Flatcar's reboot manager: it reboots a node about 5 minutes after update_engine has
 * staged an OS update, uncoordinated with the cluster. Masked, as Flatcar's Kubernetes
 * guide does; Kured (docs/flatcar.md) reboots nodes one at a time instead.
 */
export const LOCKSMITHD_UNIT = 'locksmithd.service';
/** Flatcar's unit that loads /var/lib/iptables/rules-save at boot ("Configuring iptables"). */
export const IPTABLES_RESTORE_UNIT = 'iptables-restore.service';

/**
 * Quotes one argument for a systemd Exec line: plain words stay as they are,
 * anything else is double-quoted with \ and " escaped. % and $ are doubled in
 * every case because systemd expands specifiers and variables even inside quotes.
 */
export function systemdQuote(arg: string): string {
  if (arg === '') return '""';
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Joins argv into an ExecStart= value. Throws on an empty argv (a plan bug). */
export function systemdExecLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('systemdExecLine: empty command');
  if (!argv[0]?.startsWith('/')) throw new Error(`systemdExecLine: command must be an absolute path, got ${argv[0]}`);
  return argv.map(systemdQuote).join(' ');
}

/**
 * Returns the bootstrap oneshot unit text. It runs once per boot until the script
 * leaves its success marker, after the network is online and after the sysext
 * images (kubeadm, kubelet) and containerd are up. ensure-sysext.service is
 * Flatcar's helper that reloads units from merged images; ordering after it means
 * containerd.service is known to systemd before this unit starts. No start timeout:
 * joins retry for up to cluster.joinTimeoutSeconds and must not be cut short.
 */
export function bootstrapUnitContents(plan: NodePlan): string {
  const b = plan.bootstrap;
  return [
    '[Unit]',
    `Description=gen-userdata first-boot bootstrap (${plan.node.init ? 'kubeadm init' : 'kubeadm join'}, ${plan.node.name})`,
    'Wants=network-online.target containerd.service',
    'After=network-online.target',
    'After=systemd-sysext.service ensure-sysext.service containerd.service',
    `ConditionPathExists=!${b.successMarker}`,
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=${systemdExecLine(b.command)}`,
    'TimeoutStartSec=infinity',
    'StandardOutput=journal+console',
    'StandardError=journal+console',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * Drop-in for Flatcar's containerd.service so it reads /etc/containerd/config.toml
 * instead of the built-in /usr/share/containerd/config.toml. Flatcar's guide clears
 * ExecStart and starts /usr/bin/containerd without --config (which then reads the
 * /etc path); we pass the path explicitly and also set CONTAINERD_CONFIG, the
 * variable Flatcar's own unit uses, so either form of the unit ends up on our file.
 */
export function containerdDropinContents(): string {
  return [
    '[Service]',
    `Environment=CONTAINERD_CONFIG=${CONTAINERD_CONFIG}`,
    'ExecStart=',
    `ExecStart=/usr/bin/containerd --config ${CONTAINERD_CONFIG}`,
    '',
  ].join('\n');
}

/**
 * Returns every systemd unit entry for the node, sorted by name: the bootstrap
 * oneshot (enabled), kubelet.service (enabled; the sysext ships the unit and also
 * an Upholds= drop-in on multi-user.target, so this is belt and braces), locksmithd
 * masked, iptables-restore enabled when the plan writes firewall rules, the
 * containerd drop-in when the plan (or its bootstrap) writes a containerd config, and every plan
 * unit with its contents. Throws when a plan unit clashes with one of ours.
 */
export function ignitionUnits(plan: NodePlan): IgnitionUnit[] {
  const units: IgnitionUnit[] = [
    { name: BOOTSTRAP_UNIT, enabled: true, contents: bootstrapUnitContents(plan) },
    { name: 'kubelet.service', enabled: true },
    { name: LOCKSMITHD_UNIT, mask: true },
  ];
  if (plan.files.some((f) => f.path === NODE_PATHS.iptablesRules)) units.push({ name: IPTABLES_RESTORE_UNIT, enabled: true });
  // On Flatcar the bootstrap's containerd-config step writes the file (from Flatcar's own config).
  if (plan.files.some((f) => f.path === CONTAINERD_CONFIG) || plan.bootstrap.steps.some((st) => st.name === 'containerd-config')) {
    units.push({ name: 'containerd.service', dropins: [{ name: CONTAINERD_DROPIN, contents: containerdDropinContents() }] });
  }
  for (const u of plan.units) {
    if (units.some((x) => x.name === u.name)) throw new Error(`ignitionUnits: plan unit ${u.name} clashes with a generated unit`);
    // enabled: false is left out rather than emitted: Ignition would then actively disable the unit.
    units.push(u.enabled ? { name: u.name, enabled: true, contents: u.content } : { name: u.name, contents: u.content });
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
