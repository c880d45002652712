import type { Profile } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import type { PlanFile, PlanUnit } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { NODE_PATHS, binDir, shellLibraryPath, type PlanTarget } from './paths.js';

/** systemd unit names of the revoker. */
export const TOKEN_REVOKE_SERVICE = 'gen-userdata-token-revoke.service';
export const TOKEN_REVOKE_TIMER = 'gen-userdata-token-revoke.timer';

/** Where the revoker reads and writes on the node (tests point them into a temp dir). */
export interface TokenRevokePaths {
  /** Node names from the profile, one per line. */
  expectedNodes: string;
  log: string;
  /** Present once the bootstrap (so kubeadm init) has finished. */
  successMarker: string;
  /** The shared shell library the script sources. */
  library: string;
}

/** The paths on a real node of `target`. */
export function nodeTokenRevokePaths(target: PlanTarget): TokenRevokePaths {
  return {
    expectedNodes: NODE_PATHS.expectedNodes,
    log: NODE_PATHS.tokenRevokeLog,
    successMarker: NODE_PATHS.successMarker,
    library: shellLibraryPath(target),
  };
}

/**
 * The revoker script for bootstrap token `tokenId` (only the public id, never the
 * secret half). Throws when the template is missing or tokenId is not kubeadm's
 * 6-character id (a bug: the secrets module validated it).
 */
export function tokenRevokeScript(templates: TemplateSet, tokenId: string, paths: TokenRevokePaths): string {
  if (!/^[a-z0-9]{6}$/.test(tokenId)) throw new Error('bootstrap token id does not match [a-z0-9]{6}');
  return renderNodeFile(templates, 'token-revoke.sh', {
    tokenId,
    expectedNodes: shellQuote(paths.expectedNodes),
    logPath: shellQuote(paths.log),
    successMarker: shellQuote(paths.successMarker),
    library: shellQuote(paths.library),
    timer: TOKEN_REVOKE_TIMER,
  });
}

/**
 * What the init node needs to close the join window by itself when
 * cluster.token.revokeWhenJoined is on: the script and a oneshot service with a
 * one-minute timer (enabled once the cluster is up). Empty when it is off.
 */
export function tokenRevokeExtras(
  profile: Profile,
  secrets: ClusterSecrets,
  templates: TemplateSet,
  target: PlanTarget,
): { files: PlanFile[]; units: PlanUnit[] } {
  if (!profile.cluster.token.revokeWhenJoined) return { files: [], units: [] };
  const script = `${binDir(target)}/gen-userdata-token-revoke`;
  return {
    files: [{
      path: script,
      mode: 0o755,
      owner: 'root:root',
      content: tokenRevokeScript(templates, secrets.bootstrapToken.id, nodeTokenRevokePaths(target)),
      secret: false,
    }],
    units: [
      { name: TOKEN_REVOKE_SERVICE, content: renderTemplate(templates, `units/${TOKEN_REVOKE_SERVICE}`, { script }), enabled: false },
      { name: TOKEN_REVOKE_TIMER, content: renderTemplate(templates, `units/${TOKEN_REVOKE_TIMER}`, {}), enabled: true },
    ],
  };
}
