/** The cloud module of each platform: exhaustive over PlatformId, so a platform without one does not compile. */
import type { PlatformId } from '../../../dimensions/index.js';
import type { CloudModule } from '../types.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { gcp } from './gcp.js';
import { onprem } from './onprem.js';

export const CLOUD_MODULES: Readonly<Record<PlatformId, CloudModule>> = { aws, azure, gcp, onprem };

export function cloudModuleFor(platform: PlatformId): CloudModule {
  return CLOUD_MODULES[platform];
}
