import type { ScreenGroup } from '../screen';

/** Oversight: auditor (history, time travel, verification, access log, exports), legal department (its reports), regional and central level (cross-level figures and reviews), IT operator (projections, purge, health). */
export const oversightScreens: ScreenGroup = {
  routes: [],
  nav: () => [],
};
