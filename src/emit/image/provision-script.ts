import type { Profile } from '../../profile/types.js';
import type { PlanStep } from '../../plan/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderNodeFile } from '../../template/render-template.js';
import { shellQuote } from '../../util/shell-quote.js';
import { NODE_PATHS } from '../../plan/paths.js';
import { heredocDelimiter, provisionSteps } from '../../plan/provision-steps.js';
import { renderShellLibrary, shellLibraryView } from '../../plan/shell-library.js';

/**
 * Renders provision.sh: the bootstrap template (bootstrap.sh) in image mode, so the
 * runner, logging, failure marker and step functions are the bootstrap's own; only the
 * step list (provisionSteps) and the marker paths differ. It writes the shell library
 * (templates/lib/common.sh) to its node path before sourcing it, so the image carries
 * it too. `steps` defaults to
 * provisionSteps(profile, templates). Throws only when a template is missing.
 */
export function renderProvisionScript(profile: Profile, templates: TemplateSet, steps: readonly PlanStep[] = provisionSteps(profile, templates)): string {
  const library = renderShellLibrary(templates);
  return renderNodeFile(templates, 'bootstrap.sh', {
    image: true,
    ...shellLibraryView('cloud-init'),
    libraryContent: library,
    libraryDelimiter: heredocDelimiter(library),
    cluster: profile.cluster.name,
    logPath: shellQuote(NODE_PATHS.provisionLog),
    successMarker: shellQuote(NODE_PATHS.provisionDone),
    failureMarker: shellQuote(NODE_PATHS.provisionFailed),
    steps: steps.map((s) => ({ name: s.name, fn: s.name.replace(/-/g, '_'), body: s.body })),
  });
}
