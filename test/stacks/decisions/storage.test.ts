/** stacks/decisions/storage.ts: the one place each platform's storage class is named. */
import { describe, expect, it } from 'vitest';
import { providedStorageClasses, storageClassFor } from '../../../stacks/decisions/storage.js';

describe('storageClassFor', () => {
  it('names one class per platform: gp3 (made by the AWS stack), managed-csi and standard-rwo (built in), the spec on-prem', () => {
    expect(storageClassFor('aws', null)).toBe('gp3');
    expect(storageClassFor('azure', null)).toBe('managed-csi');
    expect(storageClassFor('gcp', null)).toBe('standard-rwo');
    expect(storageClassFor('onprem', { storageClass: 'ceph-rbd' })).toBe('ceph-rbd');
    expect(providedStorageClasses('onprem', { storageClass: 'ceph-rbd' })).toEqual(['ceph-rbd']);
    expect(providedStorageClasses('aws', null)).toEqual(['gp3']);
  });
});
