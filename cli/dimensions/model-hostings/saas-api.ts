import type { ModelHostingDescriptor } from '../types.js';

export const saasApi: ModelHostingDescriptor = {
  id: 'saas-api',
  label: 'a SaaS model API',
};
