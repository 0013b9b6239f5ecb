import { areaScreens } from './area';
import { inboxScreens } from './inbox';
import { indicatorScreens } from './indicators';
import { managementScreens } from './management';
import { oversightScreens } from './oversight';
import { riskScreens } from './risks';
import type { ScreenGroup } from './screen';
import { teamScreens } from './team';

/** Every group of screens, in the order of the main navigation. */
export const SCREEN_GROUPS: readonly ScreenGroup[] = [
  teamScreens,
  areaScreens,
  managementScreens,
  oversightScreens,
  riskScreens,
  indicatorScreens,
  inboxScreens,
];
