/**
 * The demo product's pages, as static markup. Every control has visible text, an id and a name,
 * because that is what posthog-js autocapture reads into `elements_chain` and what the connector
 * turns into "Clicked 'Invite member' on the Team page".
 */

/** One page of the demo: where it lives, its title in the nav and the document, and its markup. */
export interface DemoPage {
  path: string;
  title: string;
  html: string;
}

const dashboard: DemoPage = {
  path: '/dashboard',
  title: 'Dashboard',
  html: `
  <header class="page-header">
    <div>
      <h1>Dashboard</h1>
      <p class="muted">Welcome back. Here is how your workspace is doing this week.</p>
    </div>
    <a href="/projects" class="button primary" id="dashboard-new-project" data-link>New project</a>
  </header>
  <section class="stats">
    <div class="card stat"><span class="stat-label">Active projects</span><span class="stat-value">4</span><span class="stat-trend up">+1 this week</span></div>
    <div class="card stat"><span class="stat-label">Team members</span><span class="stat-value">4</span><span class="stat-trend">of 5 seats on your plan</span></div>
    <div class="card stat"><span class="stat-label">Open tasks</span><span class="stat-value">23</span><span class="stat-trend down">-6 since Monday</span></div>
    <div class="card stat"><span class="stat-label">Plan</span><span class="stat-value" data-plan-name>Starter</span><span class="stat-trend"><a href="/billing" id="dashboard-see-plans" data-link>See plans</a></span></div>
  </section>
  <section class="columns">
    <div class="card">
      <h2>Getting started</h2>
      <ol class="checklist">
        <li class="done">Create your workspace</li>
        <li><a href="/projects" id="checklist-create-project" data-link>Create your first project</a></li>
        <li><a href="/team" id="checklist-invite-teammate" data-link>Invite a teammate</a></li>
        <li><a href="/billing" id="checklist-choose-plan" data-link>Choose a plan</a></li>
      </ol>
    </div>
    <div class="card">
      <h2>Recent projects</h2>
      <ul class="list">
        <li><a href="/projects" data-link>Website redesign</a><span class="badge green">On track</span></li>
        <li><a href="/projects" data-link>Mobile app v2</a><span class="badge amber">At risk</span></li>
        <li><a href="/projects" data-link>Q3 marketing launch</a><span class="badge green">On track</span></li>
      </ul>
    </div>
  </section>`,
};

const projects: DemoPage = {
  path: '/projects',
  title: 'Projects',
  html: `
  <header class="page-header">
    <div>
      <h1>Projects</h1>
      <p class="muted">Everything your team is working on.</p>
    </div>
    <button type="button" class="button primary" id="add-project-btn" name="add-project" data-open-dialog="add-project-dialog">Add Project</button>
  </header>
  <div class="card table-card">
    <table id="projects-table">
      <thead><tr><th>Name</th><th>Owner</th><th>Status</th><th>Updated</th></tr></thead>
      <tbody>
        <tr><td>Website redesign</td><td>Alex Rivera</td><td><span class="badge green">On track</span></td><td>2 hours ago</td></tr>
        <tr><td>Mobile app v2</td><td>Priya Shah</td><td><span class="badge amber">At risk</span></td><td>Yesterday</td></tr>
        <tr><td>Q3 marketing launch</td><td>Tom Becker</td><td><span class="badge green">On track</span></td><td>3 days ago</td></tr>
        <tr><td>Customer onboarding</td><td>Mei Lin</td><td><span class="badge grey">Planning</span></td><td>Last week</td></tr>
      </tbody>
    </table>
  </div>
  <div class="overlay" hidden data-dialog-overlay>
    <div class="dialog" id="add-project-dialog" role="dialog" aria-modal="true" aria-labelledby="add-project-title">
      <form id="add-project-form" name="add-project">
        <h2 id="add-project-title">Add Project</h2>
        <p class="muted">Projects group tasks, files and people.</p>
        <label for="project-name">Project name</label>
        <input id="project-name" name="project_name" type="text" placeholder="e.g. Spring campaign" required autocomplete="off" />
        <label for="project-template">Template</label>
        <select id="project-template" name="template">
          <option value="blank">Blank project</option>
          <option value="kanban">Kanban board</option>
          <option value="sprint">Two-week sprint</option>
        </select>
        <div class="dialog-actions">
          <button type="button" class="button" id="cancel-add-project-btn" data-close-dialog>Cancel</button>
          <button type="submit" class="button primary" id="create-project-btn" name="create-project">Create project</button>
        </div>
      </form>
    </div>
  </div>`,
};

const team: DemoPage = {
  path: '/team',
  title: 'Team',
  html: `
  <header class="page-header">
    <div>
      <h1>Team</h1>
      <p class="muted">People in the Acme workspace and what they can do.</p>
    </div>
    <button type="button" class="button primary" id="invite-member-btn" name="invite-member" data-open-dialog="invite-member-dialog">Invite member</button>
  </header>
  <div class="card table-card">
    <table id="team-table">
      <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th></tr></thead>
      <tbody>
        <tr><td>Alex Rivera</td><td>alex@acme.test</td><td>Owner</td><td><span class="badge green">Active</span></td></tr>
        <tr><td>Priya Shah</td><td>priya@acme.test</td><td>Admin</td><td><span class="badge green">Active</span></td></tr>
        <tr><td>Tom Becker</td><td>tom@acme.test</td><td>Editor</td><td><span class="badge green">Active</span></td></tr>
        <tr><td>Mei Lin</td><td>mei@acme.test</td><td>Viewer</td><td><span class="badge green">Active</span></td></tr>
      </tbody>
    </table>
  </div>
  <div class="overlay" hidden data-dialog-overlay>
    <div class="dialog" id="invite-member-dialog" role="dialog" aria-modal="true" aria-labelledby="invite-member-title">
      <form id="invite-form" name="invite-member-form">
        <h2 id="invite-member-title">Invite member</h2>
        <p class="muted">They will get an email with a link to join the Acme workspace.</p>
        <label for="invite-email">Email address</label>
        <input id="invite-email" name="email" type="email" placeholder="name@company.com" required autocomplete="off" />
        <label for="invite-role">Role</label>
        <select id="invite-role" name="role">
          <option value="viewer">Viewer: can see projects</option>
          <option value="editor">Editor: can change projects</option>
          <option value="admin">Admin: can manage people and billing</option>
        </select>
        <div class="dialog-actions">
          <button type="button" class="button" id="cancel-invite-btn" data-close-dialog>Cancel</button>
          <button type="submit" class="button primary" id="send-invite-btn" name="send-invite">Send invite</button>
        </div>
      </form>
    </div>
  </div>`,
};

const billing: DemoPage = {
  path: '/billing',
  title: 'Billing',
  html: `
  <header class="page-header">
    <div>
      <h1>Billing</h1>
      <p class="muted">Your plan, usage and invoices.</p>
    </div>
    <button type="button" class="button primary" id="upgrade-plan-btn" name="upgrade-plan" data-open-dialog="upgrade-plan-dialog">Upgrade plan</button>
  </header>
  <section class="columns">
    <div class="card">
      <h2>Current plan</h2>
      <p class="plan-name" id="current-plan" data-plan-name>Starter</p>
      <p class="muted">Free for up to 5 members and 5 projects.</p>
      <div class="meter"><span style="width: 80%"></span></div>
      <p class="muted small">4 of 5 seats used</p>
      <div class="meter"><span style="width: 80%"></span></div>
      <p class="muted small">4 of 5 projects used</p>
    </div>
    <div class="card">
      <h2>Invoices</h2>
      <ul class="list">
        <li><span>October 2026</span><span class="muted">$0.00</span></li>
        <li><span>September 2026</span><span class="muted">$0.00</span></li>
        <li><span>August 2026</span><span class="muted">$0.00</span></li>
      </ul>
    </div>
  </section>
  <div class="overlay" hidden data-dialog-overlay>
    <div class="dialog" id="upgrade-plan-dialog" role="dialog" aria-modal="true" aria-labelledby="upgrade-plan-title">
      <form id="upgrade-form" name="upgrade-plan-form">
        <h2 id="upgrade-plan-title">Upgrade plan</h2>
        <p class="muted">Pick a plan. You can change or cancel at any time.</p>
        <fieldset class="plans">
          <legend class="sr-only">Plan</legend>
          <label class="plan-option" for="plan-pro">
            <input type="radio" id="plan-pro" name="plan" value="pro" checked />
            <span><strong>Pro</strong><span class="muted">$12 per member a month, unlimited projects</span></span>
          </label>
          <label class="plan-option" for="plan-business">
            <input type="radio" id="plan-business" name="plan" value="business" />
            <span><strong>Business</strong><span class="muted">$24 per member a month, SSO and audit log</span></span>
          </label>
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="button" id="cancel-upgrade-btn" data-close-dialog>Cancel</button>
          <button type="submit" class="button primary" id="confirm-upgrade-btn" name="confirm-upgrade">Confirm upgrade</button>
        </div>
      </form>
    </div>
  </div>`,
};

const settings: DemoPage = {
  path: '/settings',
  title: 'Settings',
  html: `
  <header class="page-header">
    <div>
      <h1>Settings</h1>
      <p class="muted">Workspace preferences.</p>
    </div>
  </header>
  <div class="card narrow">
    <form id="settings-form" name="workspace-settings">
      <label for="workspace-name">Workspace name</label>
      <input id="workspace-name" name="workspace_name" type="text" value="Acme" autocomplete="off" />
      <label for="workspace-timezone">Time zone</label>
      <select id="workspace-timezone" name="timezone">
        <option value="utc">UTC</option>
        <option value="europe-london">Europe/London</option>
        <option value="america-new-york">America/New York</option>
      </select>
      <label class="checkbox" for="weekly-summary">
        <input id="weekly-summary" name="weekly_summary" type="checkbox" checked /> Email me a weekly summary
      </label>
      <div class="form-actions">
        <button type="submit" class="button primary" id="save-settings-btn" name="save-settings">Save changes</button>
      </div>
    </form>
  </div>`,
};

/** Every page, in navigation order. */
export const demoPages: readonly DemoPage[] = [dashboard, projects, team, billing, settings];

/** The page for a path (`/` is the dashboard); undefined for anything else. */
export function findPage(path: string): DemoPage | undefined {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (normalised === '/') return dashboard;
  return demoPages.find((page) => page.path === normalised);
}
