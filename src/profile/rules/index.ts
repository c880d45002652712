/**
 * The semantic rules, run in this order after defaults. Each is a pure
 * function of the Profile; see the individual files for what they check.
 */
import type { Profile } from '../types.js';
import { mutuallyExclusive, ipvsDeprecated, supportedKubernetesVersion, tokenAndJoinTiming } from './cluster-rules.js';
import type { Finding, Rule } from './finding.js';
import {
  addressConflicts,
  addressesInsideNetwork,
  endpointAddress,
  flannelMaxPods,
  flannelPodSubnet,
  interfaceConflicts,
  noCidrOverlap,
  subnetSizes,
} from './network-rules.js';
import { endpointRequired, etcdQuorum, hasControlPlane, uniqueNodeFields, uniqueUsers } from './node-rules.js';
import { componentBindAddress, componentFlags, defaultDenyNamespaces, extraVolumes, featureGateNames, nodeLabelsAndTaints } from './production-rules.js';
import { inlineCaBundle, registryAuthScope } from './site-rules.js';

export type { Finding, Rule } from './finding.js';

/** All semantic rules. */
export const RULES: readonly Rule[] = [
  supportedKubernetesVersion,
  hasControlPlane,
  uniqueNodeFields,
  addressesInsideNetwork,
  addressConflicts,
  noCidrOverlap,
  subnetSizes,
  flannelPodSubnet,
  flannelMaxPods,
  endpointRequired,
  endpointAddress,
  etcdQuorum,
  ipvsDeprecated,
  tokenAndJoinTiming,
  mutuallyExclusive,
  interfaceConflicts,
  uniqueUsers,
  componentFlags,
  componentBindAddress,
  featureGateNames,
  extraVolumes,
  nodeLabelsAndTaints,
  defaultDenyNamespaces,
  inlineCaBundle,
  registryAuthScope,
];

/** Runs every rule and returns all findings (errors and warnings), in rule order. */
export function runRules(p: Profile): Finding[] {
  return RULES.flatMap((rule) => rule(p));
}
