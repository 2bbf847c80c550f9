import { myBank } from './myBank.js';

export { myBank };
export { myBankProvider, type MyBankProviderConfig } from './myBankProvider.js';
export { myBankFactory, MY_BANK } from './myBankFactory.js';
export { MyBankConfig } from './MyBankConfig.js';
export { MyBankStrategy } from './MyBankStrategy.js';

/** The `finauth` command loads a package named in a config's `"strategies"` through its default export. */
export default myBank;
