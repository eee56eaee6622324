import type { ScmDescriptor } from '../types.js';

export const github: ScmDescriptor = {
  id: 'github',
  label: 'GitHub',
};
