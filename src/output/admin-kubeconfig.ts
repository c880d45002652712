import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import { buildKubeconfig } from '../pki/kubeconfig.js';
import { ADMIN_COMMON_NAME } from '../pki/client-certificate.js';

/** The operator's kubeconfig: the stored admin client certificate against https://<controlPlaneEndpoint>. */
export function adminKubeconfig(profile: Profile, secrets: ClusterSecrets): string {
  return buildKubeconfig({
    clusterName: profile.cluster.name,
    server: `https://${profile.cluster.controlPlaneEndpoint}`,
    caCertPem: secrets.ca.cert,
    userName: ADMIN_COMMON_NAME,
    client: secrets.admin,
  });
}
