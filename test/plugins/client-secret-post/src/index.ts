export { clientSecretPost } from './clientSecretPost.js';
export { ClientSecretPostConfig } from './ClientSecretPostConfig.js';
export type { ClientSecretPostProviderConfig } from './clientSecretPostProvider.js';
