import type { Profile } from '../../profile/types.js';
import type { PlanStep } from '../../plan/types.js';
import type { TemplateSet } from '../../template/render-template.js';
import { renderTemplate } from '../../template/render-template.js';
import { shellQuote } from '../../util/shell-quote.js';
import { NODE_PATHS } from '../../plan/paths.js';
import { provisionSteps } from '../../plan/provision-steps.js';

/**
 * Renders provision.sh: the bootstrap template (bootstrap.sh) in image mode, so the
 * runner, logging, failure marker and step functions are the bootstrap's own; only the
 * step list (provisionSteps) and the marker paths differ. `steps` defaults to
 * provisionSteps(profile, templates). Throws only when a template is missing.
 */
export function renderProvisionScript(profile: Profile, templates: TemplateSet, steps: readonly PlanStep[] = provisionSteps(profile, templates)): string {
  return renderTemplate(templates, 'bootstrap.sh', {
    image: true,
    cluster: shellQuote(profile.cluster.name),
    logPath: shellQuote(NODE_PATHS.provisionLog),
    successMarker: shellQuote(NODE_PATHS.provisionDone),
    failureMarker: shellQuote(NODE_PATHS.provisionFailed),
    steps: steps.map((s) => ({ name: s.name, fn: s.name.replace(/-/g, '_'), body: s.body })),
  });
}
