/** The cloud modules by platform (on-prem creates no cloud resources, so it has none). */
import type { Platform } from '../../../../stacks/settings.js';
import type { CloudModule } from '../types.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { gcp } from './gcp.js';

const MODULES: Partial<Record<Platform, CloudModule>> = { aws, azure, gcp };

export function cloudModuleFor(platform: Platform): CloudModule | null {
  return MODULES[platform] ?? null;
}
