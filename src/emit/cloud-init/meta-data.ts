import { Document } from 'yaml';
import type { NodePlan } from '../../plan/types.js';

/**
 * NoCloud meta-data. The instance-id is stable per cluster and node, so regenerating
 * (for example after adding nodes) does not make cloud-init treat a running machine as new.
 */
export function emitMetaData(plan: NodePlan): string {
  return new Document({ 'instance-id': `${plan.cluster}-${plan.node.name}`, 'local-hostname': plan.hostname }, { version: '1.1' }).toString({ lineWidth: 0 });
}
