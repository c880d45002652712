import type { PlanFile } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { shellLibraryPath, type PlanTarget } from './paths.js';

/** Template of the shell library every gen-userdata script on a node sources. */
export const SHELL_LIBRARY_TEMPLATE = 'lib/common.sh';

/** The library's text (templates/lib/common.sh, comments stripped). Throws when the template is missing. */
export function renderShellLibrary(templates: TemplateSet): string {
  return renderNodeFile(templates, SHELL_LIBRARY_TEMPLATE, {});
}

/**
 * The library as a node file at shellLibraryPath(target): 0644, not secret, replaced
 * when the image has an older copy (a golden image bakes one too).
 */
export function shellLibraryFile(templates: TemplateSet, target: PlanTarget): PlanFile {
  return {
    path: shellLibraryPath(target),
    mode: 0o644,
    owner: 'root:root',
    content: renderShellLibrary(templates),
    secret: false,
    overwrite: true,
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
