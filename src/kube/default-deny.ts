import type { Profile } from '../profile/types.js';
import { toYamlDocuments } from './yaml-documents.js';

/**
 * The objects for security.defaultDenyNamespaces, applied by the init node after the
 * CNI: per namespace the Namespace itself (so it exists), a NetworkPolicy
 * `default-deny` selecting every pod for ingress and egress, and `allow-dns`, which
 * lets every pod reach CoreDNS (kube-system pods labelled k8s-app=kube-dns, port 53):
 * without it nothing in the namespace resolves a name, which is never what people
 * mean by default-deny. Undefined when no namespace is listed.
 */
export function defaultDenyManifest(profile: Profile): string | undefined {
  const namespaces = [...new Set(profile.security.defaultDenyNamespaces)];
  if (namespaces.length === 0) return undefined;
  return toYamlDocuments(
    namespaces.flatMap((namespace) => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', namespace },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                },
              ],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      },
    ]),
  );
}
