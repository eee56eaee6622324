/** What sizing small | medium | large means on each cloud. */
import type { Sizing } from '../settings.js';

export interface CloudSizes {
  systemNode: string;
  systemNodes: { min: number; max: number };
  database: string;
  databaseStorageGiB: number;
  cache: string;
}

const NODES: Record<Sizing, { min: number; max: number }> = {
  small: { min: 2, max: 4 },
  medium: { min: 3, max: 6 },
  large: { min: 5, max: 12 },
};

const SIZES: Record<'aws' | 'azure' | 'gcp', Record<Sizing, Omit<CloudSizes, 'systemNodes'>>> = {
  aws: {
    small: { systemNode: 'm6i.xlarge', database: 'db.r6g.large', databaseStorageGiB: 100, cache: 'cache.r6g.large' },
    medium: { systemNode: 'm6i.2xlarge', database: 'db.r6g.xlarge', databaseStorageGiB: 250, cache: 'cache.r6g.xlarge' },
    large: { systemNode: 'm6i.4xlarge', database: 'db.r6g.2xlarge', databaseStorageGiB: 500, cache: 'cache.r6g.2xlarge' },
  },
  azure: {
    small: { systemNode: 'Standard_D4s_v5', database: 'Standard_D2ds_v5', databaseStorageGiB: 128, cache: 'Balanced_B5' },
    medium: { systemNode: 'Standard_D8s_v5', database: 'Standard_D4ds_v5', databaseStorageGiB: 256, cache: 'Balanced_B10' },
    large: { systemNode: 'Standard_D16s_v5', database: 'Standard_D8ds_v5', databaseStorageGiB: 512, cache: 'Balanced_B20' },
  },
  gcp: {
    small: { systemNode: 'n2-standard-4', database: 'db-custom-2-8192', databaseStorageGiB: 100, cache: '4' },
    medium: { systemNode: 'n2-standard-8', database: 'db-custom-4-16384', databaseStorageGiB: 250, cache: '8' },
    large: { systemNode: 'n2-standard-16', database: 'db-custom-8-32768', databaseStorageGiB: 500, cache: '16' },
  },
};

export function cloudSizes(cloud: 'aws' | 'azure' | 'gcp', sizing: Sizing): CloudSizes {
  return { ...SIZES[cloud][sizing], systemNodes: NODES[sizing] };
}

export function defaultSystemNodes(sizing: Sizing): { min: number; max: number } {
  return NODES[sizing];
}
