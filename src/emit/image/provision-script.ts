import type { Profile } from '../../profile/types.js';
import type { PlanStep } from '../../plan/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderNodeFile } from '../../template/render-template.js';
import { proxyExports } from '../../plan/site-files.js';
import { shellQuote } from '../../util/shell-quote.js';
import { NODE_PATHS } from '../../plan/paths.js';
import { heredocDelimiter, provisionSteps } from '../../plan/provision-steps.js';
import { IMAGE_LIBRARY_PARTS, renderShellLibrary, shellLibraryView } from '../../plan/shell-library.js';
import { trimShellLibrary } from '../../plan/trim-shell-library.js';

/**
 * Renders provision.sh: the bootstrap template (bootstrap.sh) in image mode, so the
 * runner, logging, failure marker and step functions are the bootstrap's own; only the
 * step list (provisionSteps) and the marker paths differ. It writes the shell library
 * (templates/lib/common.sh, with the functions provision.sh calls) to its node path
 * before sourcing it; nodes booted from the image get their own copy with the
 * user-data. `steps` defaults to provisionSteps(profile, templates). Throws only when
 * a template is missing.
 */
export function renderProvisionScript(profile: Profile, templates: TemplateSet, steps: readonly PlanStep[] = provisionSteps(profile, templates)): string {
  const view = {
    image: true,
    // A golden image is built from a Debian or Ubuntu cloud image.
    debianFamily: true,
    ...shellLibraryView('cloud-init'),
    cluster: shellQuote(profile.cluster.name),
    logPath: shellQuote(NODE_PATHS.provisionLog),
    successMarker: shellQuote(NODE_PATHS.provisionDone),
    failureMarker: shellQuote(NODE_PATHS.provisionFailed),
    proxyExports: proxyExports(profile),
    steps: steps.map((s) => ({ name: s.name, fn: s.name.replace(/-/g, '_'), body: s.body })),
  };
  // The library as provision.sh needs it: the functions the script calls.
  const caller = renderNodeFile(templates, 'bootstrap.sh', { ...view, libraryContent: '', libraryDelimiter: 'GEN_USERDATA_EOF' });
  const library = trimShellLibrary(renderShellLibrary(templates, IMAGE_LIBRARY_PARTS), [caller]);
  return renderNodeFile(templates, 'bootstrap.sh', { ...view, libraryContent: library, libraryDelimiter: heredocDelimiter(library) });
}
