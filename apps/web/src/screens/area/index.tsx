import type { ScreenGroup } from '../screen';

/** Area head (Bereichsleitung): programmes, questionnaires, populations and draws, the area dashboard, measure counts, team reports. */
export const areaScreens: ScreenGroup = {
  routes: [],
  nav: () => [],
};
