export { clientSecretPost } from './clientSecretPost.js';
export { ClientSecretPostConfig } from './ClientSecretPostConfig.js';
