import type { RouterDeps } from '../http/router.js';
import { projectActivityRoutes } from './activity/routes.js';
import { aiGenerateRoutes } from './ai-generate/routes.js';
import { aiGenerationRoutes } from './ai-generations/routes.js';
import { aiPriceRoutes } from './ai-prices/routes.js';
import { aiProviderRoutes } from './ai-providers/routes.js';
import { auditLogRoutes } from './audit-logs/routes.js';
import { billingRoutes } from './billing/routes.js';
import { commentRoutes } from './comments/routes.js';
import { documentRoutes } from './documents/routes.js';
import { documentVersionRoutes } from './documents/versions-routes.js';
import { epicRoutes } from './epics/routes.js';
import { gapRoutes } from './gaps/routes.js';
import { githubWebhookRoutes } from './integrations/github-routes.js';
import { integrationRoutes } from './integrations/routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { liveEventRoutes } from './live-events/routes.js';
import { mailDeliveryRoutes } from './mail-deliveries/routes.js';
import { memberRoutes } from './members/routes.js';
import { notificationRoutes } from './notifications/routes.js';
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
import { taskImportRoutes } from './task-import/routes.js';
import { taskLinkRoutes } from './task-links/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { templateRoutes } from './templates/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

/** Every feature's router for `/api/v1`; adding a feature means adding it here. */
export function tenantFeatureRoutes(deps: RouterDeps) {
  return [
    organizationRoutes(deps),
    memberRoutes(deps),
    invitationRoutes(deps),
    planRoutes(deps),
    subscriptionRoutes(deps),
    billingRoutes(deps),
    auditLogRoutes(deps),
    mailDeliveryRoutes(deps),
    projectRoutes(deps),
    projectMemberRoutes(deps),
    projectActivityRoutes(deps),
    documentRoutes(deps),
    documentVersionRoutes(deps),
    templateRoutes(deps),
    taskImportRoutes(deps),
    taskRoutes(deps),
    taskHistoryRoutes(deps),
    taskLinkRoutes(deps),
    epicRoutes(deps),
    sprintRoutes(deps),
    sprintReportRoutes(deps),
    commentRoutes(deps),
    aiProviderRoutes(deps),
    aiGenerationRoutes(deps),
    aiGenerateRoutes(deps),
    aiPriceRoutes(deps),
    integrationRoutes(deps),
    githubWebhookRoutes(deps),
    webhookRoutes(deps),
    gapRoutes(deps),
    predictionRoutes(deps),
    projectPromptRoutes(deps),
    projectAssetRoutes(deps),
    restoreRoutes(deps),
    notificationRoutes(deps),
    liveEventRoutes(deps),
  ];
}
