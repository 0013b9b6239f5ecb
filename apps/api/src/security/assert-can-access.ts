/**
 * For handlers, once the resource is loaded: `assertCanAccess(principal, action, { tenant, unit })`
 * throws `AccessDeniedError` (code NOT_FOUND → 404 for another tenant's or team's resource). The policy
 * itself is pure and lives in libs/domain.
 */
export {
  AccessDeniedError,
  assertCanAccess,
  decide,
  visibility,
  type Resource,
  type Visibility,
} from '@pruefpfad/domain';
