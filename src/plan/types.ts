/**
 * NodePlan: the distribution-neutral description of one machine's first boot.
 * Every emitter (cloud-init, Ignition, image provisioning) works from this model,
 * so files, steps and PKI are defined once.
 */
import type { NodeArch, NodeRole } from '../profile/types.js';

export interface PlanFile {
  /** Absolute path on the node. */
  path: string;
  /** Numeric mode, e.g. 0o644. */
  mode: number;
  /** "root:root" unless stated. */
  owner: string;
  /** UTF-8 text content. */
  content: string;
  /** True for private keys, tokens and anything else that must not leak (drives 0600 outputs). */
  secret: boolean;
  /**
   * "to-fit": cloud-init may ship it gzip + base64 (`encoding: gz+b64`) when that is
   * what brings the user-data under a provider's limit (see emitUserData): node tools,
   * the verifier, the shell library and the bootstrap. Ignition gzips every file that
   * gets smaller anyway.
   */
  compress?: 'to-fit';
}

/** A systemd unit shipped to the node. */
export interface PlanUnit {
  /** e.g. "gen-userdata-token-revoke.timer". */
  name: string;
  content: string;
  /** Enable at boot (cloud-init: systemctl enable in a step; Ignition: enabled: true). */
  enabled: boolean;
}

export interface PlanUser {
  name: string;
  sshAuthorizedKeys: string[];
  sudo: boolean;
  shell: string;
}

export interface PlanNetwork {
  /** Match by MAC when set, otherwise by interface name. */
  match: { name: string } | { macAddress: string };
  /** Name the static interface gets (the profile's interface name). */
  interfaceName: string;
  /** CIDR-form address, e.g. "192.168.56.101/24". */
  address: string;
  gateway?: string;
  nameservers: string[];
  /** Extra interfaces that keep DHCP. */
  dhcpInterfaces: string[];
}

/** One named, idempotent step of the bootstrap script. */
export interface PlanStep {
  /** kebab-case name, used in the log and the failure marker. */
  name: string;
  /** Bash function body (already rendered, values shell-quoted). */
  body: string;
}

export interface NodePlan {
  cluster: string;
  node: {
    name: string;
    role: NodeRole;
    ip: string;
    /** True only for the first control plane, which runs kubeadm init. */
    init: boolean;
    /** CPU architecture from the profile ("auto": the bootstrap reads uname -m). */
    arch: NodeArch;
  };
  hostname: string;
  /** Files to lay down before the bootstrap runs, sorted by path. Includes the bootstrap script itself. */
  files: PlanFile[];
  units: PlanUnit[];
  users: PlanUser[];
  network: PlanNetwork;
  bootstrap: {
    /** Absolute path of the rendered bootstrap script (also present in files). */
    scriptPath: string;
    /** Command that runs it, e.g. ["/usr/local/sbin/gen-userdata-bootstrap"]. */
    command: string[];
    steps: PlanStep[];
    /** Marker paths the script writes. */
    successMarker: string;
    failureMarker: string;
    logPath: string;
  };
}
