/** Tags (AWS, Azure) and labels (GCP) that mark every resource with its install and customer. */
import type { InstallSettings } from './settings.js';

export const TAG_INSTALL = 'installctl-install';
export const TAG_CUSTOMER = 'installctl-customer';
export const TAG_MANAGED_BY = 'managed-by';

/** AWS and Azure tags: free-form values. */
export function resourceTags(settings: Pick<InstallSettings, 'name' | 'customer' | 'labels'>): Record<string, string> {
  return { ...settings.labels, [TAG_INSTALL]: settings.name, [TAG_CUSTOMER]: settings.customer, [TAG_MANAGED_BY]: 'installctl' };
}

/** A GCP label value: lowercase letters, digits, '-' and '_', at most 63 characters. */
export function gcpLabelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/** GCP labels: keys and values restricted to lowercase label syntax. */
export function gcpLabels(settings: Pick<InstallSettings, 'name' | 'customer' | 'labels'>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(resourceTags(settings))) {
    const labelKey = gcpLabelValue(key.replace(/^.*\//, ''));
    if (/^[a-z]/.test(labelKey)) labels[labelKey] = gcpLabelValue(value);
  }
  return labels;
}
