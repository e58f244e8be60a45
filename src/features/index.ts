import type { RouterDeps } from '../http/router.js';
import { aiGenerationRoutes } from './ai-generations/routes.js';
import { aiProviderRoutes } from './ai-providers/routes.js';
import { auditLogRoutes } from './audit-logs/routes.js';
import { commentRoutes } from './comments/routes.js';
import { documentRoutes } from './documents/routes.js';
import { epicRoutes } from './epics/routes.js';
import { gapRoutes } from './gaps/routes.js';
import { integrationRoutes } from './integrations/routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { memberRoutes } from './members/routes.js';
import { organizationRoutes } from './organizations/routes.js';
import { planRoutes } from './plans/routes.js';
import { predictionRoutes } from './predictions/routes.js';
import { projectAssetRoutes } from './project-assets/routes.js';
import { projectMemberRoutes } from './project-members/routes.js';
import { projectPromptRoutes } from './project-prompts/routes.js';
import { projectRoutes } from './projects/routes.js';
import { restoreRoutes } from './restore/routes.js';
import { sprintReportRoutes } from './sprint-reports/routes.js';
import { sprintRoutes } from './sprints/routes.js';
import { subscriptionRoutes } from './subscriptions/routes.js';
import { taskHistoryRoutes } from './task-history/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { templateRoutes } from './templates/routes.js';

/** Every feature's router for `/api/v1`; adding a feature means adding it here. */
export function tenantFeatureRoutes(deps: RouterDeps) {
  return [
    organizationRoutes(deps),
    memberRoutes(deps),
    invitationRoutes(deps),
    planRoutes(deps),
    subscriptionRoutes(deps),
    auditLogRoutes(deps),
    projectRoutes(deps),
    projectMemberRoutes(deps),
    documentRoutes(deps),
    templateRoutes(deps),
    taskRoutes(deps),
    taskHistoryRoutes(deps),
    epicRoutes(deps),
    sprintRoutes(deps),
    sprintReportRoutes(deps),
    commentRoutes(deps),
    aiProviderRoutes(deps),
    aiGenerationRoutes(deps),
    integrationRoutes(deps),
    gapRoutes(deps),
    predictionRoutes(deps),
    projectPromptRoutes(deps),
    projectAssetRoutes(deps),
    restoreRoutes(deps),
  ];
}
