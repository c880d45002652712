/**
 * Rules about cluster-wide settings: the Kubernetes version, kube-proxy mode,
 * token and join timing, and options that exclude each other.
 */
import { SUPPORTED_MINORS, versionInfo } from '../../kube/versions.js';
import { parseDuration } from '../../util/duration.js';
import type { Profile } from '../types.js';
import { error, warning, type Finding } from './finding.js';

/** First minor in which kube-proxy's ipvs mode is deprecated. */
const IPVS_DEPRECATED_FROM = [1, 35] as const;

/** Errors when kubernetesVersion's minor is not in the generator's version table. */
export function supportedKubernetesVersion(p: Profile): Finding[] {
  const v = p.cluster.kubernetesVersion;
  if (versionInfo(v)) return [];
  const range = SUPPORTED_MINORS.length ? `${SUPPORTED_MINORS[0]} to ${SUPPORTED_MINORS[SUPPORTED_MINORS.length - 1]}` : 'none';
  return [
    error(
      'unsupported-kubernetes-version',
      '/cluster/kubernetesVersion',
      `Kubernetes ${v} is not supported; supported minor versions: ${range} (${SUPPORTED_MINORS.join(', ')})`,
    ),
  ];
}

/** Warns when kube-proxy uses ipvs on a Kubernetes version where it is deprecated. */
export function ipvsDeprecated(p: Profile): Finding[] {
  if (p.cluster.kubeProxyMode !== 'ipvs') return [];
  const [major, minor] = p.cluster.kubernetesVersion.split('.').map(Number) as [number, number];
  const [dMajor, dMinor] = IPVS_DEPRECATED_FROM;
  if (major < dMajor || (major === dMajor && minor < dMinor)) return [];
  return [
    warning(
      'ipvs-deprecated',
      '/cluster/kubeProxy/mode',
      `kube-proxy mode ipvs is deprecated from Kubernetes ${dMajor}.${dMinor}; prefer iptables (or nftables once supported)`,
    ),
  ];
}

/**
 * Checks the timing settings: a zero joinTimeout is an error (nodes would give
 * up at once); a token that never expires and is never revoked, and a join
 * window longer than the token lives, are warnings.
 */
export function tokenAndJoinTiming(p: Profile): Finding[] {
  const out: Finding[] = [];
  const { token, joinTimeoutSeconds } = p.cluster;
  if (joinTimeoutSeconds <= 0) {
    out.push(error('invalid-duration', '/cluster/joinTimeout', 'joinTimeout must be longer than 0, e.g. "60m"'));
  }
  const ttl = parseDuration(token.ttl) ?? 0;
  if (ttl === 0 && !token.revokeWhenJoined) {
    out.push(
      warning(
        'token-never-expires',
        '/cluster/token/ttl',
        'the bootstrap token never expires (ttl 0) and revokeWhenJoined is false: anyone who reads it can join nodes for the life of the cluster',
      ),
    );
  }
  if (ttl > 0 && joinTimeoutSeconds > ttl) {
    out.push(
      warning(
        'join-timeout-exceeds-token-ttl',
        '/cluster/joinTimeout',
        `nodes keep retrying the join for ${joinTimeoutSeconds}s but the token expires ${ttl}s after init; late joins will fail`,
      ),
    );
  }
  if (ttl > 0 && ttl < 60) {
    out.push(warning('token-ttl-short', '/cluster/token/ttl', `token ttl ${token.ttl} is shorter than a node takes to boot and join`));
  }
  return out;
}

/** Errors when both members of an either/or pair are set (inline key vs keyFile, manifestUrl vs manifestFile). */
export function mutuallyExclusive(p: Profile): Finding[] {
  const pairs: [string, boolean, string, boolean][] = [
    ['/packages/aptRepository/key', p.packages.aptRepository.key !== undefined, 'keyFile', p.packages.aptRepository.keyFile !== undefined],
    ['/cluster/cni/manifestUrl', p.cluster.cni.manifestUrl !== undefined, 'manifestFile', p.cluster.cni.manifestFile !== undefined],
    ['/addons/metricsServer/manifestUrl', p.addons.metricsServer.manifestUrl !== undefined, 'manifestFile', p.addons.metricsServer.manifestFile !== undefined],
    ['/addons/ingressNginx/manifestUrl', p.addons.ingressNginx.manifestUrl !== undefined, 'manifestFile', p.addons.ingressNginx.manifestFile !== undefined],
    ['/trust/caBundle', p.trust.caBundle !== undefined, 'caBundleFile', p.trust.caBundleFile !== undefined],
  ];
  return pairs
    .filter(([, a, , b]) => a && b)
    .map(([aPath, , b]) => {
      const parent = aPath.slice(0, aPath.lastIndexOf('/'));
      const a = aPath.slice(aPath.lastIndexOf('/') + 1);
      return error('mutually-exclusive', `${parent}/${b}`, `set either ${a} or ${b}, not both`);
    });
}
