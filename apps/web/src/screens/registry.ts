import { areaScreens } from './area';
import { inboxScreens } from './inbox';
import { managementScreens } from './management';
import { oversightScreens } from './oversight';
import type { ScreenGroup } from './screen';
import { teamScreens } from './team';

/** Every group of screens, in the order of the main navigation. */
export const SCREEN_GROUPS: readonly ScreenGroup[] = [
  teamScreens,
  areaScreens,
  managementScreens,
  oversightScreens,
  inboxScreens,
];
