import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import type { NodePlan } from '../plan/types.js';
import type { TemplateSet } from '../template/render-template.js';
import { buildNodePlan, clusterPlans } from '../plan/build-node-plan.js';
import { caCertHash } from '../pki/ca-cert-hash.js';
import { emitUserData } from '../emit/cloud-init/user-data.js';
import { emitMetaData } from '../emit/cloud-init/meta-data.js';
import { emitNetworkConfig } from '../emit/cloud-init/network-config.js';
import { writeIsoImage, NOCLOUD_VOLUME_ID } from '../emit/iso9660/write-iso-image.js';
import { serializeSecrets } from '../pki/serialize-secrets.js';
import { emitIgnition } from '../emit/ignition/emit-ignition.js';
import { emitStubConfig, stubTargetUrl } from '../emit/ignition/stub-config.js';
import { DEFAULT_SPEC_VERSION, type IgnitionSpecVersion } from '../emit/ignition/types.js';
import { nocloudNetFiles, type NocloudNetOptions } from '../emit/nocloud-net/emit-nocloud-net.js';
import { adminKubeconfig } from './admin-kubeconfig.js';
import { ManifestBuilder } from './manifest.js';
import { documentParts, planParts, sha256Hex } from './plan-parts.js';
import { utf8, type OutputFile, type OutputFormat } from './output-file.js';
import { gzipUserData, type StrongGzip, type UserDataCompression } from '../emit/cloud-init/gzip-user-data.js';

/** What one generation run is asked to produce. */
export interface GenerateRequest {
  profile: Profile;
  secrets: ClusterSecrets;
  templates: TemplateSet;
  formats: readonly OutputFormat[];
  /** Required when formats include 'nocloud-net' (the --base-url and boot options). */
  nocloudNet?: NocloudNetOptions;
  /** 'gzip': nodes/<node>/user-data (cloud-init format) is written gzip'd. Default 'none'. */
  compress?: UserDataCompression;
  /** With compress 'gzip': the encoder for documents zlib -9 leaves above the fit limit (the CLI passes zopfli). */
  strongGzip?: StrongGzip;
  /** Ignition output: spec version (default 3.4.0), and a stub config per node pointing at stubUrl. */
  ignition?: IgnitionRequest;
}

/** How the Ignition configs are written (--ignition-version, --ignition-stub-url). */
export interface IgnitionRequest {
  specVersion?: IgnitionSpecVersion;
  /**
   * Base URL where nodes/ is served: every node also gets nodes/<node>/config.stub.ign,
   * a config of a few hundred bytes that makes Ignition fetch <stubUrl>/<node>/config.ign.
   */
  stubUrl?: string;
}

/** The three NoCloud documents of a node. */
export interface NoCloudDocuments {
  'user-data': string;
  'meta-data': string;
  'network-config': string;
}

/** Renders a plan's NoCloud documents. */
export function noCloudDocuments(plan: NodePlan): NoCloudDocuments {
  return { 'user-data': emitUserData(plan), 'meta-data': emitMetaData(plan), 'network-config': emitNetworkConfig(plan) };
}

/** How a request writes nodes/<node>/user-data: as is, or through gzipUserData. */
function userDataEncoder(req: Pick<GenerateRequest, 'compress' | 'strongGzip'>): (text: Uint8Array) => Uint8Array {
  return req.compress === 'gzip' ? (text) => gzipUserData(text, req.strongGzip) : (text) => text;
}

function nodeFiles(plan: NodePlan, secrets: ClusterSecrets, formats: readonly OutputFormat[], nocloudNet: NocloudNetOptions | undefined, encode: (text: Uint8Array) => Uint8Array): OutputFile[] {
  const base = { node: plan.node.name, role: plan.node.role };
  const dir = `nodes/${plan.node.name}`;
  const docs = noCloudDocuments(plan);
  const parts = planParts(plan);
  const files: OutputFile[] = [];
  if (formats.includes('cloud-init')) {
    files.push(
      // Only the copy users paste is compressed: the seed ISO and the HTTP seeds have no size limit.
      { ...base, format: 'cloud-init', path: `${dir}/user-data`, content: encode(utf8(docs['user-data'])), mode: 0o600, parts },
      { ...base, format: 'cloud-init', path: `${dir}/meta-data`, content: utf8(docs['meta-data']), mode: 0o644 },
      { ...base, format: 'cloud-init', path: `${dir}/network-config`, content: utf8(docs['network-config']), mode: 0o644 },
    );
  }
  if (formats.includes('iso')) {
    const iso = writeIsoImage({
      volumeId: NOCLOUD_VOLUME_ID,
      // Volume dates come from the secrets so re-runs are byte-identical.
      date: new Date(secrets.createdAt),
      files: Object.entries(docs).map(([name, text]) => ({ name, data: utf8(text) })),
    });
    files.push({ ...base, format: 'iso', path: `${dir}/seed.iso`, content: iso, mode: 0o600, parts: documentParts(docs) });
  }
  if (formats.includes('nocloud-net')) {
    if (nocloudNet === undefined) throw new Error("format 'nocloud-net' needs the nocloudNet options");
    // Served from out/<cluster>/http/: the same documents, plus one iPXE script per node.
    for (const f of nocloudNetFiles(plan.node.name, docs, nocloudNet)) {
      files.push({ ...base, format: 'nocloud-net', path: `http/${f.path}`, content: utf8(f.content), mode: f.mode, ...(f.path.endsWith('/user-data') ? { parts } : {}) });
    }
  }
  return files;
}

/**
 * Everything out/<cluster>/ should contain after this run, yielded one file at a
 * time as each node is planned and emitted: secrets.yaml, admin.conf, per-node files
 * for the requested formats, and last manifest.json listing them all. Nothing holds
 * more than one node's output: the caller writes each file and lets it go. Every
 * yielded file carries its sha256. Pure: the same request gives byte-identical files.
 */
export function* generateCluster(req: GenerateRequest): Generator<OutputFile> {
  const { profile, secrets, templates, formats } = req;
  const encode = userDataEncoder(req);
  const manifest = new ManifestBuilder(profile.cluster.name, profile.cluster.kubernetesVersion);
  const emit = (f: OutputFile): OutputFile => {
    const hashed = { ...f, sha256: f.sha256 ?? sha256Hex(f.content) };
    manifest.add(hashed);
    return hashed;
  };
  yield emit({ format: 'cluster', path: 'secrets.yaml', content: utf8(serializeSecrets(secrets)), mode: 0o600 });
  yield emit({ format: 'cluster', path: 'admin.conf', content: utf8(adminKubeconfig(profile, secrets)), mode: 0o600 });
  const needsCloudInitPlans = formats.some((f) => f === 'cloud-init' || f === 'iso' || f === 'nocloud-net');
  if (needsCloudInitPlans) {
    for (const plan of clusterPlans(profile, secrets, templates, 'cloud-init')) {
      for (const f of nodeFiles(plan, secrets, formats, req.nocloudNet, encode)) yield emit(f);
    }
  }
  if (formats.includes('ignition')) {
    for (const plan of clusterPlans(profile, secrets, templates, 'flatcar')) {
      const specVersion = req.ignition?.specVersion ?? DEFAULT_SPEC_VERSION;
      const ign = emitIgnition(plan, {
        kubernetesVersion: profile.cluster.kubernetesVersion,
        flatcar: profile.flatcar,
        specVersion,
        ...(profile.proxy !== undefined ? { proxy: profile.proxy } : {}),
      });
      const base = { format: 'ignition', node: plan.node.name, role: plan.node.role } as const;
      yield emit({ ...base, path: `nodes/${plan.node.name}/config.ign`, content: utf8(ign), mode: 0o600, parts: planParts(plan) });
      const stubUrl = req.ignition?.stubUrl;
      if (stubUrl !== undefined) {
        // No secret inside (a URL and a digest), but it leads to one: 0600 like the config.
        const stub = emitStubConfig(ign, stubTargetUrl(stubUrl, plan.node.name), specVersion);
        yield emit({ ...base, path: `nodes/${plan.node.name}/config.stub.ign`, content: utf8(stub), mode: 0o600 });
      }
    }
  }
  const content = manifest.toBytes();
  yield { format: 'cluster', path: 'manifest.json', content, mode: 0o644, sha256: sha256Hex(content) };
}

/**
 * All of generateCluster's files in one array: for tests and small in-memory uses.
 * The CLI streams generateCluster instead, so a large cluster is never held whole.
 */
export function generateClusterFiles(req: GenerateRequest): OutputFile[] {
  return [...generateCluster(req)];
}

/** The files of one node (cloud-init documents only), for `--stdout`; undefined for an unknown node. */
export function generateNodeCloudInit(req: Omit<GenerateRequest, 'formats' | 'nocloudNet'>, nodeName: string): OutputFile[] | undefined {
  const node = req.profile.nodes.find((n) => n.name === nodeName);
  if (node === undefined) return undefined;
  const plan = buildNodePlan({ profile: req.profile, secrets: req.secrets, node, templates: req.templates, target: 'cloud-init', caCertHash: caCertHash(req.secrets.ca.cert) });
  return nodeFiles(plan, req.secrets, ['cloud-init'], undefined, userDataEncoder(req));
}
