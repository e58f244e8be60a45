// Tenantry web app: a plain ES module, no build step. Every piece of server data reaches the page
// through textContent or createElement, never innerHTML, so a task title cannot inject markup.

const TOKEN_KEY = 'tenantry.token';
const ORG_KEY = 'tenantry.org';

const STATUSES = [
  ['todo', 'To do'],
  ['in_progress', 'In progress'],
  ['in_review', 'In review'],
  ['done', 'Done'],
  ['canceled', 'Canceled'],
];

/** What the page currently shows; only the token and the chosen organization outlive a reload. */
const state = {
  organizations: [],
  org: null,
  project: null,
  /** userId → display name, for assignees. */
  members: new Map(),
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// API access

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Thrown after a 401 has already sent the user back to sign-in; callers just stop. */
class SignedOut extends Error {}

/**
 * Calls the API with the bearer token. Errors carry the server's message: ours come as
 * `{ error: { message } }`, Better Auth's as `{ message }`.
 */
async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // The bearer token is the only credential: no cookies, so nothing for a cross-site request to ride on.
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => null);
  if (response.ok) return { payload, response };
  const message = payload?.error?.message ?? payload?.message ?? `${response.status} ${response.statusText}`;
  if (response.status === 401 && token) {
    forgetSession();
    showSignIn('Your session has ended. Please sign in again.');
    throw new SignedOut(message);
  }
  throw new ApiError(response.status, message);
}

const orgPath = (rest) => `/api/v1/orgs/${encodeURIComponent(state.org.id)}${rest}`;

function forgetSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  state.organizations = [];
  state.org = null;
  state.project = null;
  state.members = new Map();
}

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

/** createElement with a class and text; children are appended as they are. */
function el(tag, { className, text } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  node.append(...children);
  return node;
}

function option(value, label, selected = false) {
  const node = el('option', { text: label });
  node.value = value;
  node.selected = selected;
  return node;
}

function showMessage(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

function showView(id) {
  for (const view of ['sign-in-view', 'projects-view', 'board-view']) $(view).hidden = view !== id;
  $('session').hidden = id === 'sign-in-view';
}

/** Runs a form's action with its buttons disabled; errors end up in the message box. */
async function submitting(form, action) {
  const buttons = form.querySelectorAll('button');
  for (const button of buttons) button.disabled = true;
  try {
    await action();
  } catch (error) {
    report(error);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

function report(error) {
  if (error instanceof SignedOut) return;
  showMessage(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Sign in and out

function showSignIn(message = '') {
  showView('sign-in-view');
  showMessage(message, 'info');
  $('sign-in-form').elements.email.focus();
}

async function signIn(form) {
  // Whatever token is left over must not turn a wrong password into "session ended".
  sessionStorage.removeItem(TOKEN_KEY);
  const { response } = await api('POST', '/api/auth/sign-in/email', {
    email: form.elements.email.value,
    password: form.elements.password.value,
  });
  const token = response.headers.get('set-auth-token');
  if (!token) throw new ApiError(response.status, 'The server did not return a session token.');
  sessionStorage.setItem(TOKEN_KEY, token);
  form.reset();
  showMessage('');
  await loadOrganizations();
}

async function signOut() {
  try {
    await api('POST', '/api/auth/sign-out', {});
  } catch (error) {
    // The session is dropped locally either way; a failed sign-out only means it expires on its own.
    if (!(error instanceof SignedOut)) console.warn('sign-out failed', error);
  }
  forgetSession();
  showSignIn('You are signed out.');
}

// ---------------------------------------------------------------------------------------------
// 2. Organization switcher

async function loadOrganizations() {
  const { payload } = await api('GET', '/api/v1/organizations?limit=100');
  state.organizations = payload.items;
  if (state.organizations.length === 0) {
    showView('projects-view');
    $('org-select').replaceChildren();
    $('project-list').replaceChildren(el('li', { className: 'empty', text: 'You are not a member of any organization yet.' }));
    return;
  }
  const remembered = sessionStorage.getItem(ORG_KEY);
  const chosen = state.organizations.find((org) => org.id === remembered) ?? state.organizations[0];
  $('org-select').replaceChildren(
    ...state.organizations.map((org) => option(org.id, `${org.name} (${org.role})`, org.id === chosen.id)),
  );
  await selectOrganization(chosen.id);
}

async function selectOrganization(orgId) {
  state.org = state.organizations.find((org) => org.id === orgId);
  state.project = null;
  sessionStorage.setItem(ORG_KEY, orgId);
  showMessage('');
  await Promise.all([loadMembers(), loadProjects()]);
}

/** Assignee names; the board still works (showing "Someone") if the list cannot be read. */
async function loadMembers() {
  try {
    const { payload } = await api('GET', orgPath('/members?limit=100'));
    state.members = new Map(payload.items.map((member) => [member.userId, member.name]));
  } catch (error) {
    if (error instanceof SignedOut) throw error;
    state.members = new Map();
  }
  $('assignee-select').replaceChildren(
    option('', 'Unassigned', true),
    ...[...state.members].map(([userId, name]) => option(userId, name)),
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Projects

async function loadProjects() {
  showView('projects-view');
  const list = $('project-list');
  list.replaceChildren(el('li', { className: 'empty', text: 'Loading…' }));
  const { payload } = await api('GET', orgPath('/projects?limit=100'));
  if (payload.items.length === 0) {
    list.replaceChildren(el('li', { className: 'empty', text: 'No projects yet.' }));
    return;
  }
  list.replaceChildren(...payload.items.map(projectItem));
}

function projectItem(project) {
  const open = el(
    'button',
    { className: 'project' },
    el('span', { className: 'key', text: project.key }),
    el('span', { className: 'name', text: project.name }),
    el('span', { className: `badge status-${project.status}`, text: project.status.replace('_', ' ') }),
    el('span', { className: 'description', text: project.description ?? '' }),
  );
  open.type = 'button';
  open.addEventListener('click', () => openBoard(project).catch(report));
  return el('li', {}, open);
}

async function createProject(form) {
  const { payload } = await api('POST', orgPath('/projects'), {
    name: form.elements.name.value.trim(),
    key: form.elements.key.value.trim(),
  });
  form.reset();
  await loadProjects();
  showMessage(`Project ${payload.key} created.`, 'info');
}

// ---------------------------------------------------------------------------------------------
// 4. Board

async function openBoard(project) {
  state.project = project;
  $('board-title').textContent = `${project.name} (${project.key})`;
  $('search-form').reset();
  showMessage('');
  showView('board-view');
  await loadTasks();
}

async function loadTasks() {
  const query = $('search-form').elements.q.value.trim();
  const params = new URLSearchParams({ limit: '100' });
  if (query) params.set('q', query);
  const { payload } = await api('GET', orgPath(`/projects/${encodeURIComponent(state.project.id)}/tasks?${params}`));
  renderBoard(payload.items);
  const note = $('board-note');
  note.hidden = !payload.nextCursor && !query;
  note.textContent = [
    query ? `Tasks matching “${query}”.` : '',
    payload.nextCursor ? 'Showing the first 100 tasks.' : '',
  ].filter(Boolean).join(' ');
}

function renderBoard(tasks) {
  const columns = STATUSES.map(([status, label]) => {
    const inColumn = tasks.filter((task) => task.status === status);
    const list = el('ol', { className: 'cards' }, ...inColumn.map(taskCard));
    const heading = el('h2', {}, el('span', { text: label }), el('span', { className: 'count', text: String(inColumn.length) }));
    return el('section', { className: `column column-${status}` }, heading, list);
  });
  $('board').replaceChildren(...columns);
}

function taskCard(task) {
  const assignee = task.assigneeId ? (state.members.get(task.assigneeId) ?? 'Someone') : 'Unassigned';
  const status = el('select', { className: 'status-select' }, ...STATUSES.map(([value, label]) => option(value, label, value === task.status)));
  status.setAttribute('aria-label', `Status of ${task.reference}`);
  status.addEventListener('change', () => changeStatus(task, status));
  return el(
    'li',
    { className: 'task' },
    el(
      'div',
      { className: 'task-meta' },
      el('span', { className: 'reference', text: task.reference }),
      el('span', { className: `badge priority-${task.priority}`, text: task.priority }),
    ),
    el('p', { className: 'title', text: task.title }),
    el('div', { className: 'task-meta' }, el('span', { className: 'assignee', text: assignee }), status),
  );
}

async function changeStatus(task, select) {
  select.disabled = true;
  try {
    await api('PATCH', orgPath(`/tasks/${encodeURIComponent(task.id)}`), { status: select.value });
    showMessage('');
    await loadTasks();
  } catch (error) {
    select.value = task.status;
    select.disabled = false;
    report(error);
  }
}

async function createTask(form) {
  const assigneeId = form.elements.assigneeId.value;
  const { payload } = await api('POST', orgPath(`/projects/${encodeURIComponent(state.project.id)}/tasks`), {
    title: form.elements.title.value.trim(),
    priority: form.elements.priority.value,
    ...(assigneeId ? { assigneeId } : {}),
  });
  form.reset();
  await loadTasks();
  showMessage(`Task ${payload.reference} created.`, 'info');
}

// ---------------------------------------------------------------------------------------------
// Wiring

function onSubmit(id, action) {
  const form = $(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, () => action(form));
  });
}

onSubmit('sign-in-form', signIn);
onSubmit('project-form', createProject);
onSubmit('task-form', createTask);
onSubmit('search-form', () => loadTasks());
$('org-select').addEventListener('change', (event) => selectOrganization(event.target.value).catch(report));
$('sign-out').addEventListener('click', () => void signOut());
$('back-to-projects').addEventListener('click', () => {
  state.project = null;
  showMessage('');
  loadProjects().catch(report);
});

// A token from earlier in this tab's session resumes it; a stale one ends in sign-in via the 401.
if (sessionStorage.getItem(TOKEN_KEY)) {
  loadOrganizations().catch((error) => {
    if (error instanceof SignedOut) return;
    showSignIn();
    report(error);
  });
} else {
  showSignIn();
}
