import { gzipSync } from 'node:zlib';
import { Document } from 'yaml';
import type { NodePlan } from '../../plan/types.js';
import { quotePyyamlAmbiguous } from './pyyaml-plain.js';

/** Formats a numeric mode as the quoted octal string cloud-init expects ("0644"). */
export function octalMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/**
 * Renders a node's #cloud-config. Files (and the plan's systemd units) go through
 * write_files, which runs before users and packages exist; the bootstrap script runs
 * from runcmd in the final stage. Serialized in YAML 1.1 mode so PyYAML reads every
 * value as written ("0644", "yes" stay strings), with sequences not indented under
 * their key (two bytes less on every line of every embedded file).
 */
export function emitUserData(plan: NodePlan): string {
  const writeFiles = [
    // cloud-init's defaults are owner root:root and permissions 0644; leaving them out
    // saves bytes in most entries.
    ...plan.files.map((f) => ({
      path: f.path,
      ...(f.owner !== 'root:root' ? { owner: f.owner } : {}),
      ...(f.mode !== 0o644 ? { permissions: octalMode(f.mode) } : {}),
      // gzip output is deterministic: Node writes no name and mtime 0 into the header.
      ...(f.compress ? { encoding: 'gz+b64', content: gzipSync(f.content, { level: 9 }).toString('base64') } : { content: f.content }),
    })),
    ...plan.units.map((u) => ({ path: `/etc/systemd/system/${u.name}`, content: u.content })),
  ];
  const config: Record<string, unknown> = {
    hostname: plan.hostname,
    preserve_hostname: false,
    // The bootstrap keeps its own block in /etc/hosts; cloud-init must not rewrite the file.
    manage_etc_hosts: false,
  };
  if (plan.users.length > 0) {
    config['users'] = plan.users.map((u) => ({
      name: u.name,
      shell: u.shell,
      lock_passwd: true,
      ...(u.sudo ? { sudo: 'ALL=(ALL) NOPASSWD:ALL' } : {}),
      // cloud-init's schema wants at least one key when the list is present.
      ...(u.sshAuthorizedKeys.length > 0 ? { ssh_authorized_keys: u.sshAuthorizedKeys } : {}),
    }));
  }
  config['write_files'] = writeFiles;
  config['runcmd'] = [plan.bootstrap.command];
  const body = quotePyyamlAmbiguous(new Document(config, { version: '1.1' })).toString({ lineWidth: 0, blockQuote: 'literal', indentSeq: false });
  const header = [
    '#cloud-config',
    `# gen-userdata: node ${plan.node.name} (${plan.node.role}) of cluster ${plan.cluster}.`,
    plan.files.some((f) => f.secret) ? '# Contains secrets (bootstrap token, and CA keys on control planes): keep it private.' : '',
  ].filter((l) => l !== '');
  return `${header.join('\n')}\n${body}`;
}
