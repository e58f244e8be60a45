import type { RouterDeps } from '../http/router.js';
import { projectRoutes } from './projects/routes.js';

/** Every feature's router for `/api/v1`; adding a feature means adding it here. */
export function tenantFeatureRoutes(deps: RouterDeps) {
  return [projectRoutes(deps)];
}
