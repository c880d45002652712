import type { ClusterSecrets } from '../pki/types.js';
import type { PlanFile } from './types.js';
import { NODE_PATHS } from './paths.js';

/**
 * The shared CA pairs and the service-account pair for a control plane, at the paths
 * kubeadm expects. kubeadm makes every leaf certificate itself. Certificates 0644,
 * keys 0600. Never call this for a worker.
 */
export function controlPlanePkiFiles(secrets: ClusterSecrets): PlanFile[] {
  const pki = NODE_PATHS.pkiDir;
  const pub = (path: string, content: string): PlanFile => ({ path, mode: 0o644, owner: 'root:root', content, secret: false });
  const key = (path: string, content: string): PlanFile => ({ path, mode: 0o600, owner: 'root:root', content, secret: true });
  return [
    pub(`${pki}/ca.crt`, secrets.ca.cert),
    key(`${pki}/ca.key`, secrets.ca.key),
    pub(`${pki}/front-proxy-ca.crt`, secrets.frontProxyCa.cert),
    key(`${pki}/front-proxy-ca.key`, secrets.frontProxyCa.key),
    pub(`${pki}/etcd/ca.crt`, secrets.etcdCa.cert),
    key(`${pki}/etcd/ca.key`, secrets.etcdCa.key),
    pub(`${pki}/sa.pub`, secrets.serviceAccount.publicKey),
    key(`${pki}/sa.key`, secrets.serviceAccount.privateKey),
  ];
}
