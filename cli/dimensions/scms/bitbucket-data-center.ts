import type { ScmDescriptor } from '../types.js';

export const bitbucketDataCenter: ScmDescriptor = {
  id: 'bitbucket-data-center',
  label: 'Bitbucket Data Center',
};
