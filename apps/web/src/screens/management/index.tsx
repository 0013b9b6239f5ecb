import type { ScreenGroup } from '../screen';

/** Management (Geschäftsführung): the Jobcenter dashboard, trends, routines, report status, legal holds, organisation, region. */
export const managementScreens: ScreenGroup = {
  routes: [],
  nav: () => [],
};
