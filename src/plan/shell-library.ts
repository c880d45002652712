import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanFile } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { shellLibraryPath, type PlanTarget } from './paths.js';
import { trimShellLibrary } from './trim-shell-library.js';

/** Template of the shell library every gen-userdata script on a node sources. */
export const SHELL_LIBRARY_TEMPLATE = 'lib/common.sh';

/**
 * Which role-specific parts of the library a node gets (mustache sections of
 * templates/lib/common.sh): a worker carries only what a worker runs.
 */
export interface ShellLibraryParts {
  /** ADMIN_KUBECONFIG, kubectl_admin, and the CA-keeping reset_node. */
  controlPlane: boolean;
  /** reset_node keeps kube-vip's static pod (control planes of a cluster with cluster.vip). */
  kubeVip: boolean;
}

/** The parts for a node of the profile. */
export function shellLibraryParts(profile: Profile, node: ProfileNode): ShellLibraryParts {
  const controlPlane = node.role === 'control-plane';
  return { controlPlane, kubeVip: controlPlane && profile.cluster.vip !== undefined };
}

/** The parts provision.sh (golden image) needs: the role-neutral ones. */
export const IMAGE_LIBRARY_PARTS: ShellLibraryParts = { controlPlane: false, kubeVip: false };

/** The library's text (templates/lib/common.sh, comments stripped) with `parts`. Throws when the template is missing. */
export function renderShellLibrary(templates: TemplateSet, parts: ShellLibraryParts): string {
  return renderNodeFile(templates, SHELL_LIBRARY_TEMPLATE, parts);
}

/**
 * The library as a node file at shellLibraryPath(target), with only the functions
 * `callers` (the node's scripts that source it) use: 0644, not secret, replaced
 * when the image has an older copy.
 */
export function shellLibraryFile(templates: TemplateSet, target: PlanTarget, parts: ShellLibraryParts, callers: readonly string[]): PlanFile {
  return {
    path: shellLibraryPath(target),
    mode: 0o644,
    owner: 'root:root',
    content: trimShellLibrary(renderShellLibrary(templates, parts), callers),
    secret: false,
    compress: 'to-fit',
  };
}

/**
 * The view a script template needs to source the library: `{{library}}`, the quoted
 * path, for a line `. {{library}}`.
 */
export function shellLibraryView(target: PlanTarget): { library: string } {
  return { library: shellQuote(shellLibraryPath(target)) };
}
