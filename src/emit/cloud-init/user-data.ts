import { Document } from 'yaml';
import type { NodePlan, PlanFile } from '../../plan/types.js';
import { deterministicGzip } from '../data-url.js';
import { quotePyyamlAmbiguous } from './pyyaml-plain.js';

/** Formats a numeric mode as the quoted octal string cloud-init expects ("0644"). */
export function octalMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** EC2's user-data limit, the smallest of the common providers: what "fits" means. */
export const USER_DATA_FIT_BYTES = 16 * 1024;

/**
 * Renders a node's #cloud-config. Files (and the plan's systemd units) go through
 * write_files, which runs before users and packages exist; the bootstrap script runs
 * from runcmd in the final stage. Serialized in YAML 1.1 mode so PyYAML reads every
 * value as written ("0644", "yes" stay strings), with sequences not indented under
 * their key (two bytes less on every line of every embedded file).
 * When the document is above USER_DATA_FIT_BYTES, the files marked compress "to-fit"
 * are written gzip + base64 (`encoding: gz+b64`) in the plan's order of preference
 * (node tools and the verifier, then the shell library, then the bootstrap), as few
 * as it takes to fit. When even all of them do not make it fit, none is: such a
 * document (a control plane's) goes to a provider gzip'd whole (--compress gzip), and
 * plain text gzips far better than base64 inside it (the lab control plane gzip'd is
 * about 1.2 KB larger with only the verifier packed).
 */
export function emitUserData(plan: NodePlan): string {
  const plain = renderUserData(plan, new Set());
  const excess = Buffer.byteLength(plain) - USER_DATA_FIT_BYTES;
  if (excess <= 0) return plain;
  const candidates = plan.files.filter((f) => f.compress === 'to-fit').sort((a, b) => packOrder(a) - packOrder(b));
  const packed = new Set<string>();
  let saved = 0;
  for (const f of candidates) {
    if (saved >= excess) break;
    packed.add(f.path);
    saved += packingSaves(f);
  }
  if (saved < excess) return plain;
  return renderUserData(plan, packed);
}

/** Node tools and the verifier first (read on the node only), then the library, the bootstrap last. */
function packOrder(f: PlanFile): number {
  if (f.path.endsWith('/gen-userdata-bootstrap')) return 2;
  return f.path.endsWith('/gen-userdata/common.sh') ? 1 : 0;
}

const YAML_OPTIONS = { lineWidth: 0, blockQuote: 'literal', indentSeq: false } as const;

/** YAML 1.1 text that cloud-init's PyYAML loader reads back exactly as written. */
function serialize(value: Record<string, unknown>): string {
  return quotePyyamlAmbiguous(new Document(value, { version: '1.1' })).toString(YAML_OPTIONS);
}

function writeFileEntry(f: PlanFile, pack: boolean): Record<string, unknown> {
  // cloud-init's defaults are owner root:root and permissions 0644; leaving them out
  // saves bytes in most entries.
  return {
    path: f.path,
    ...(f.owner !== 'root:root' ? { owner: f.owner } : {}),
    ...(f.mode !== 0o644 ? { permissions: octalMode(f.mode) } : {}),
    ...(pack ? { encoding: 'gz+b64', content: gzipBase64(f.content) } : { content: f.content }),
  };
}

// The same node tools and library recur on every node of a cluster: remember what
// packing one saves instead of gzipping and serializing it again per node.
const savingsCache = new Map<string, number>();

/** Bytes the document shrinks by when `f` is written gzip + base64 (exact: its write_files entry alone, both ways). */
function packingSaves(f: PlanFile): number {
  const key = `${f.path}\0${f.content}`;
  const known = savingsCache.get(key);
  if (known !== undefined) return known;
  const size = (pack: boolean): number => Buffer.byteLength(serialize({ write_files: [writeFileEntry(f, pack)] }));
  const saves = size(false) - size(true);
  if (savingsCache.size >= 64) savingsCache.clear();
  savingsCache.set(key, saves);
  return saves;
}

function gzipBase64(text: string): string {
  return deterministicGzip(new TextEncoder().encode(text)).toString('base64');
}

function renderUserData(plan: NodePlan, packed: ReadonlySet<string>): string {
  const writeFiles = [
    ...plan.files.map((f) => writeFileEntry(f, packed.has(f.path))),
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
  const body = serialize(config);
  const header = [
    '#cloud-config',
    `# gen-userdata: node ${plan.node.name} (${plan.node.role}) of cluster ${plan.cluster}.`,
    plan.files.some((f) => f.secret) ? '# Contains secrets (bootstrap token, and CA keys on control planes): keep it private.' : '',
  ].filter((l) => l !== '');
  return `${header.join('\n')}\n${body}`;
}
