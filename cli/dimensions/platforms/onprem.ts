import type { PlatformDescriptor } from '../types.js';

export const onprem: PlatformDescriptor = {
  id: 'onprem',
  label: 'on-premises Kubernetes',
};
