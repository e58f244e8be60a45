import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, notFound, redirect } from '@tanstack/react-router';
import { validateBoardSearch } from '../features/board/filters';
import { ErrorText, Loading } from '../components/feedback';
import { organizationsQuery } from '../features/organizations/api';
import { fetchSession, sessionKey } from '../lib/session';
import { HomePage } from './routes/home';
import { InvitationPage } from './routes/invitation';
import { MyInvitationsPage } from './routes/my-invitations';
import { NewOrganizationPage } from './routes/new-organization';
import { NotFoundPage } from './routes/not-found';
import { OrgLayout } from './routes/org-layout';
import { OrgSettingsPage } from './routes/org-settings';
import { ForgotPasswordPage, ResetPasswordPage } from './routes/password';
import { ProjectSettingsPage } from './routes/project-settings';
import { ProjectsPage } from './routes/projects';
import { RootLayout } from './routes/root';
import { SignInPage, SignUpPage } from './routes/sign-in';

type RouterContext = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
});

/** Where to come back to after signing in: a path on this site only, never another origin. */
function validateRedirect(search: Record<string, unknown>): { redirect?: string } {
  const target = search.redirect;
  return typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') ? { redirect: target } : {};
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  // `reset`: coming from a password reset, so the page says the new password is set.
  validateSearch: (search: Record<string, unknown>): { redirect?: string; reset?: boolean } => ({
    ...validateRedirect(search),
    ...(search.reset === true || search.reset === 'true' ? { reset: true } : {}),
  }),
  component: SignInPage,
});
const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-up', validateSearch: validateRedirect, component: SignUpPage });

/** Signed-out visitors of a private page go to the sign-in page, and come back afterwards. */
async function requireSession(queryClient: QueryClient, href: string) {
  const session = await queryClient.ensureQueryData({ queryKey: sessionKey, queryFn: fetchSession });
  if (!session) throw redirect({ to: '/sign-in', search: { redirect: href } });
  return session;
}

const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: async ({ context, location }) => requireSession(context.queryClient, location.href),
  component: HomePage,
});

const invitationRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invitations/$id', component: InvitationPage });
const myInvitationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invitations',
  beforeLoad: async ({ context, location }) => requireSession(context.queryClient, location.href),
  component: MyInvitationsPage,
});
const forgotPasswordRoute = createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: ForgotPasswordPage });
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (search: Record<string, unknown>): { token?: string } => (typeof search.token === 'string' && search.token ? { token: search.token } : {}),
  component: ResetPasswordPage,
});

const newOrganizationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/new',
  beforeLoad: async ({ context, location }) => requireSession(context.queryClient, location.href),
  component: NewOrganizationPage,
});

/**
 * Every `/{orgSlug}/…` page: signed in, and the slug is one of the caller's own organizations.
 * Anyone else's slug is "not found", exactly like a slug that does not exist.
 */
const orgRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/$orgSlug',
  beforeLoad: async ({ context, location }) => requireSession(context.queryClient, location.href),
  loader: async ({ context, params }) => {
    const organizations = await context.queryClient.ensureQueryData(organizationsQuery);
    const org = organizations.find((candidate) => candidate.slug === params.orgSlug);
    if (!org) throw notFound();
    return { orgId: org.id };
  },
  component: OrgLayout,
  notFoundComponent: NotFoundPage,
});

const projectsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects',
  validateSearch: (search: Record<string, unknown>): { archived?: boolean } => (search.archived === true || search.archived === 'true' ? { archived: true } : {}),
  component: ProjectsPage,
});
const orgIndexRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/$orgSlug/projects', params });
  },
});

// The board and the task page carry the heavy libraries (drag and drop, Markdown): loaded on demand.
const boardRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key',
  validateSearch: validateBoardSearch,
  component: lazyRouteComponent(() => import('./routes/board'), 'BoardPage'),
});
// Planning screens: the backlog, sprints (charts) and epics, each in its own chunk.
const backlogRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/backlog',
  component: lazyRouteComponent(() => import('./routes/backlog'), 'BacklogPage'),
});
const sprintsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/sprints',
  component: lazyRouteComponent(() => import('./routes/sprint'), 'SprintsPage'),
});
const sprintRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/sprints/$sprintId',
  component: lazyRouteComponent(() => import('./routes/sprint'), 'SprintPage'),
});
const epicsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/epics',
  component: lazyRouteComponent(() => import('./routes/epics'), 'EpicsPage'),
});
const epicRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/epics/$epicId',
  component: lazyRouteComponent(() => import('./routes/epics'), 'EpicPage'),
});
const taskImportRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/import',
  component: lazyRouteComponent(() => import('./routes/task-import'), 'TaskImportPage'),
});
const projectSettingsRoute = createRoute({ getParentRoute: () => orgRoute, path: '/projects/$key/settings', component: ProjectSettingsPage });
const taskRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/tasks/$ref',
  component: lazyRouteComponent(() => import('./routes/task'), 'TaskPage'),
});
const inboxRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/inbox',
  component: lazyRouteComponent(() => import('./routes/inbox'), 'InboxPage'),
});
const orgSettingsRoute = createRoute({ getParentRoute: () => orgRoute, path: '/settings', component: OrgSettingsPage });

// Documents, insights and administration (part 2): each screen in its own chunk (Markdown, charts).
const docsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/docs',
  validateSearch: (search: Record<string, unknown>): { project?: string; q?: string } => ({
    ...(typeof search.project === 'string' && search.project ? { project: search.project.toUpperCase() } : {}),
    ...(typeof search.q === 'string' && search.q.trim() ? { q: search.q } : {}),
  }),
  component: lazyRouteComponent(() => import('./routes/docs'), 'DocsPage'),
});
const docRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/docs/$key/$slug',
  component: lazyRouteComponent(() => import('./routes/docs-document'), 'DocumentPage'),
});
const insightsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/insights',
  component: lazyRouteComponent(() => import('./routes/insights'), 'InsightsPage'),
});
const activityRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/activity',
  component: lazyRouteComponent(() => import('./routes/activity'), 'ActivityPage'),
});
const assistantRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/projects/$key/assistant',
  validateSearch: (search: Record<string, unknown>): { conversation?: string } =>
    typeof search.conversation === 'string' && /^[0-9a-f-]{36}$/i.test(search.conversation) ? { conversation: search.conversation } : {},
  component: lazyRouteComponent(() => import('./routes/assistant'), 'AssistantPage'),
});
const aiUsageRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/settings/ai/usage',
  component: lazyRouteComponent(() => import('./routes/settings-ai-usage'), 'AiUsagePage'),
});
const aiSettingsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/settings/ai',
  component: lazyRouteComponent(() => import('./routes/settings-ai'), 'AiSettingsPage'),
});
const auditLogRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/settings/audit-log',
  validateSearch: (search: Record<string, unknown>): { resourceType?: string; actorId?: string; from?: string; to?: string } =>
    Object.fromEntries(['resourceType', 'actorId', 'from', 'to'].flatMap((name) => (typeof search[name] === 'string' && search[name] ? [[name, search[name]]] : []))),
  component: lazyRouteComponent(() => import('./routes/settings-audit-log'), 'AuditLogPage'),
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  signInRoute,
  signUpRoute,
  invitationRoute,
  myInvitationsRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  newOrganizationRoute,
  orgRoute.addChildren([orgIndexRoute, projectsRoute, boardRoute, projectSettingsRoute, taskImportRoute, backlogRoute, sprintsRoute, sprintRoute, epicsRoute, epicRoute, taskRoute, inboxRoute, orgSettingsRoute, docsRoute, docRoute, insightsRoute, activityRoute, assistantRoute, aiSettingsRoute, aiUsageRoute, auditLogRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // The query cache decides freshness; the router only waits for it.
    defaultPreloadStaleTime: 0,
    defaultNotFoundComponent: NotFoundPage,
    // While a route's data loads, the header and navigation stay and a quiet line says so.
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: ({ error }) => <ErrorText error={error} />,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
