export { oauth2 } from './oauth2.js';
export { oauth2Provider, type Oauth2ProviderConfig } from './oauth2Provider.js';
export { oauth2Factory, OAUTH2 } from './oauth2Factory.js';
export { Oauth2Strategy, type Oauth2StrategySettings } from './Oauth2Strategy.js';
export { Oauth2Config, RESERVED_PARAMS } from './config/Oauth2Config.js';
export { Oauth2ClientAuthConfig, SECRET_METHODS } from './config/Oauth2ClientAuthConfig.js';
export { PROFILES, PROFILE_NAMES, type Oauth2Profile } from './profiles/index.js';
export type { HeaderKeyMember } from './profiles/Oauth2Profile.js';
