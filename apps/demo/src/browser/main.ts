/**
 * The demo product's browser entry: a small single-page app (history routing, real links and
 * buttons), posthog-js autocapture pointed at the connector, and the rasa-webchat widget.
 */
import './styles.css';
import { demoConfigGlobal, type DemoPageConfig } from '../demo-config.ts';
import { startAnalytics } from './analytics.ts';
import { mountChatWidget } from './chat-widget.ts';
import { demoPages, findPage } from './pages.ts';

function readConfig(): DemoPageConfig {
  const config = (window as unknown as Record<string, unknown>)[demoConfigGlobal];
  if (!config || typeof config !== 'object') throw new Error(`sightline demo: window.${demoConfigGlobal} is missing`);
  return config as DemoPageConfig;
}

function element<T extends HTMLElement>(selector: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`sightline demo: ${selector} is missing from the page`);
  return found;
}

function showToast(text: string): void {
  const toast = element<HTMLDivElement>('#toast');
  toast.textContent = text;
  toast.hidden = false;
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.hidden = true), 2600));
}

function openDialog(id: string): void {
  const dialog = document.getElementById(id);
  const overlay = dialog?.closest<HTMLElement>('[data-dialog-overlay]');
  if (!dialog || !overlay) return;
  overlay.hidden = false;
  dialog.querySelector<HTMLElement>('input:not([type=radio]), input, select')?.focus();
}

function closeDialogs(): void {
  for (const overlay of document.querySelectorAll<HTMLElement>('[data-dialog-overlay]')) {
    overlay.hidden = true;
    overlay.querySelector('form')?.reset();
  }
}

function renderNav(path: string): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.nav a[data-link]')) {
    const isCurrent = link.pathname === path || (path === '/' && link.pathname === '/dashboard');
    link.classList.toggle('active', isCurrent);
    if (isCurrent) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The workspace's plan: Starter until the user upgrades in this tab (the demo keeps no server state). */
let currentPlan = 'Starter';

/** Writes the plan wherever the page names it (the top bar, the dashboard, Billing). */
function showPlan(): void {
  for (const name of document.querySelectorAll<HTMLElement>('[data-plan-name]')) name.textContent = currentPlan;
}

function render(path: string): void {
  const page = findPage(path) ?? findPage('/');
  if (!page) return;
  element('#page').innerHTML = page.html;
  showPlan();
  document.title = `${page.title} · Acme Workspace`;
  renderNav(path);
}

function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState({}, '', path);
  render(path);
  window.scrollTo(0, 0);
}

function addRow(tableId: string, cells: string[]): void {
  const body = element<HTMLTableSectionElement>(`#${tableId} tbody`);
  const row = body.insertRow(0);
  for (const text of cells) row.insertCell().textContent = text;
}

function handleSubmit(form: HTMLFormElement): void {
  const data = new FormData(form);
  switch (form.id) {
    case 'invite-form':
      addRow('team-table', ['Invitation pending', String(data.get('email') ?? ''), String(data.get('role') ?? 'viewer'), 'Invited']);
      showToast('Invitation sent');
      break;
    case 'add-project-form':
      addRow('projects-table', [String(data.get('project_name') ?? 'Untitled'), 'You', 'Planning', 'Just now']);
      showToast('Project created');
      break;
    case 'upgrade-form': {
      currentPlan = data.get('plan') === 'business' ? 'Business' : 'Pro';
      showPlan();
      showToast(`You are now on the ${currentPlan} plan`);
      break;
    }
    case 'settings-form':
      showToast('Settings saved');
      return;
    default:
      return;
  }
  closeDialogs();
}

function wireEvents(): void {
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const link = target.closest<HTMLAnchorElement>('a[data-link]');
    if (link && link.origin === location.origin && !(event as MouseEvent).metaKey && !(event as MouseEvent).ctrlKey) {
      event.preventDefault();
      closeDialogs();
      navigate(link.pathname);
      return;
    }
    const opener = target.closest<HTMLElement>('[data-open-dialog]');
    if (opener?.dataset.openDialog) {
      openDialog(opener.dataset.openDialog);
      return;
    }
    if (target.closest('[data-close-dialog]') || target.matches('[data-dialog-overlay]')) closeDialogs();
  });
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    handleSubmit(form);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDialogs();
  });
  window.addEventListener('popstate', () => {
    closeDialogs();
    render(location.pathname);
  });
}

function renderShell(config: DemoPageConfig): void {
  const nav = demoPages
    .map((page) => `<a href="${page.path}" id="nav-${page.title.toLowerCase()}" data-link>${page.title}</a>`)
    .join('');
  element('#app').innerHTML = `
    <aside class="sidebar">
      <a href="/dashboard" class="brand" id="brand-home" data-link><span class="logo">A</span>Acme Workspace</a>
      <nav class="nav" aria-label="Main">${nav}</nav>
      <p class="sidebar-note">A demo product for Sightline. Click around, then ask the assistant.</p>
    </aside>
    <div class="main">
      <div class="topbar">
        <span class="muted">Acme · <span data-plan-name>Starter</span> plan</span>
        <span class="user"><span class="avatar" aria-hidden="true"></span><span id="user-name"></span></span>
      </div>
      <main id="page"></main>
    </div>
    <div id="toast" class="toast" role="status" hidden></div>`;
  element('#user-name').textContent = config.userName;
  element('.avatar').textContent = config.userName.slice(0, 1).toUpperCase();
}

const config = readConfig();
// "/" is the dashboard; name it so before posthog-js records the first pageview ("Page Load: Dashboard").
if (location.pathname === '/') history.replaceState({}, '', '/dashboard');
renderShell(config);
render(location.pathname);
wireEvents();
const analytics = startAnalytics(config);
// The tab's window id tells the bridge which tab a moment happened in (tabs of one browser share a session).
const ids = analytics.sessionManager?.checkAndGetSessionAndWindowId(true);
mountChatWidget(config, { sessionId: ids?.sessionId ?? null, windowId: ids?.windowId ?? null });
