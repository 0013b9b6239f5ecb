/**
 * @pruefpfad/projections/testing: fixtures for tests of code that runs projections (never in production
 * code: the build does not compile it, and the lint rule refuses it outside tests).
 */

export { until } from './projection-fixtures.js';
