import type { CpuArch, ProfileNode } from './types.js';

/** The architectures the profile's nodes declare, amd64 first; nodes with arch auto add none. */
export function declaredArches(profile: { nodes: readonly Pick<ProfileNode, 'arch'>[] }): CpuArch[] {
  return (['amd64', 'arm64'] as const).filter((a) => profile.nodes.some((n) => n.arch === a));
}
