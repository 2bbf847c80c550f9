import { clientSecretBasic } from '@finauth/client-secret-basic';
import { fapi2 } from '@finauth/fapi2';
import { oauth2 } from '@finauth/oauth2';
import { snapBi } from '@finauth/snap-bi';
import type { ContainerModule } from 'inversify';

/** The strategies the `finauth` command knows: the ones that ship with finauth. */
export function shippedStrategies(): ContainerModule[] {
  return [fapi2(), clientSecretBasic(), oauth2(), snapBi()];
}
