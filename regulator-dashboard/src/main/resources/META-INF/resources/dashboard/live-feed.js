// The live transaction feed: newest first, at most 100 rows kept on the page.
(function () {
  const table = document.querySelector('[data-testid="feed"] tbody');
  const status = document.querySelector('[data-testid="feed-status"]');
  if (!table) return;
  const MAX_ROWS = 100;
  const cell = (text, cls) => {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : text;
    if (cls) td.className = cls;
    return td;
  };
  const source = new EventSource('/dashboard/live/feed');
  source.onopen = () => { status.textContent = 'live'; status.className = 'badge ok'; };
  source.onerror = () => { status.textContent = 'reconnecting'; status.className = 'badge warn'; };
  // Alerts: pushed the moment they are committed; kept so that the panel's periodic refresh cannot hide them.
  const pushedAlerts = new Map();
  const alertRow = (a, regulator) => {
    const row = document.createElement('tr');
    row.dataset.alertId = a.id;
    row.dataset.txId = a.txId || '';
    row.className = 'severity-' + a.severity.toLowerCase() + ' fresh';
    const badge = document.createElement('span');
    badge.className = 'badge ' + (a.severity === 'SEVERE' || a.severity === 'HIGH' ? 'bad' : 'warn');
    badge.textContent = a.severity;
    const sev = cell('');
    sev.appendChild(badge);
    row.appendChild(sev);
    const st = cell(a.status);
    st.dataset.testid = 'alert-status';
    row.appendChild(st);
    row.appendChild(cell(a.ruleId + ' v' + a.ruleVersion));
    row.appendChild(cell(a.startup));
    row.appendChild(cell(Object.entries(a.values || {}).map(([k, v]) => k + ' = ' + v).join(', '), 'values'));
    const tx = cell('');
    if (a.txId) {
      const link = document.createElement('a');
      link.href = '/dashboard/transactions/' + encodeURIComponent(a.txId);
      link.textContent = a.txId.substring(0, 12) + '…';
      tx.appendChild(link);
    }
    row.appendChild(tx);
    row.appendChild(cell(a.raisedAt));
    if (regulator) {
      const actions = cell('', 'actions');
      [['ACKNOWLEDGED', 'Acknowledge'], ['RESOLVED', 'Resolve'], ['FALSE_POSITIVE', 'False positive']].forEach(([to, label]) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.to = to;
        b.textContent = label;
        actions.appendChild(b);
        actions.appendChild(document.createTextNode(' '));
      });
      row.appendChild(actions);
    }
    return row;
  };
  const showAlert = (a) => {
    const alertsTable = document.querySelector('[data-testid="alerts"]');
    if (!alertsTable || alertsTable.querySelector('tr[data-alert-id="' + a.id + '"]')) return;
    alertsTable.hidden = false;
    const none = document.querySelector('[data-testid="no-alerts"]');
    if (none) none.remove();
    alertsTable.tBodies[0].prepend(alertRow(a, alertsTable.dataset.regulator === 'true'));
  };
  source.addEventListener('alert', (e) => {
    const a = JSON.parse(e.data);
    pushedAlerts.set(a.id, a);
    if (pushedAlerts.size > 50) pushedAlerts.delete(pushedAlerts.keys().next().value);
    showAlert(a);
  });
  // Risk: the score and its components of a startup, updated in place.
  const pushedRisk = new Map();
  const showRisk = (r) => {
    const row = document.querySelector('[data-testid="risk-table"] tr[data-startup="' + r.startup + '"]');
    if (!row) return;
    if (row.dataset.computedAt && row.dataset.computedAt > r.computedAt) return;
    row.dataset.computedAt = r.computedAt;
    row.querySelector('[data-testid="risk-score"]').textContent = Number(r.score).toFixed(2);
    row.querySelector('[data-testid="risk-components"]').textContent =
      Object.entries(r.components).map(([k, v]) => k + ' ' + Number(v).toFixed(2)).join(', ');
  };
  source.addEventListener('risk', (e) => {
    const r = JSON.parse(e.data);
    pushedRisk.set(r.startup, r);
    showRisk(r);
  });
  document.body.addEventListener('htmx:afterSwap', (e) => {
    const id = e.target.dataset ? e.target.dataset.testid : null;
    if (id === 'alerts-panel') {
      const open = new Set(Array.from(document.querySelectorAll('[data-testid="alerts"] tr[data-alert-id]'))
        .map((r) => Number(r.dataset.alertId)));
      // A pushed alert missing from the refreshed list was either closed or committed after the query ran.
      Array.from(pushedAlerts.values()).filter((a) => !open.has(a.id) && Date.now() - Date.parse(a.raisedAt) < 10000)
        .forEach(showAlert);
    } else if (id === 'risk') {
      pushedRisk.forEach(showRisk);
    }
  });
  // Regulators move alerts on from the panel.
  document.addEventListener('click', async (e) => {
    const button = e.target.closest('[data-testid="alerts"] button[data-to]');
    if (!button) return;
    const row = button.closest('tr[data-alert-id]');
    const comment = window.prompt('Comment for ' + button.textContent.toLowerCase() + ' (required):');
    if (!comment) return;
    const response = await fetch('/dashboard/alerts/' + row.dataset.alertId + '/transitions', {
      method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({to: button.dataset.to, comment: comment})
    });
    if (response.ok) {
      const detail = await response.json();
      pushedAlerts.delete(detail.alert.id);
      if (detail.alert.status === 'ACKNOWLEDGED') {
        row.querySelector('[data-testid="alert-status"]').textContent = 'ACKNOWLEDGED';
        const ack = row.querySelector('button[data-to="ACKNOWLEDGED"]');
        if (ack) ack.remove();
      } else {
        row.remove();
      }
    } else {
      const problem = await response.json().catch(() => ({detail: 'HTTP ' + response.status}));
      window.alert(problem.detail || problem.title);
    }
  });
  source.addEventListener('gap', (e) => {
    const row = document.createElement('tr');
    row.className = 'gap';
    const td = cell(JSON.parse(e.data).dropped + ' transactions skipped (this page fell behind)');
    td.colSpan = 7;
    row.appendChild(td);
    table.prepend(row);
  });
  source.addEventListener('tx', (e) => {
    const tx = JSON.parse(e.data);
    const row = document.createElement('tr');
    row.dataset.txId = tx.txId;
    row.appendChild(cell(new Date(tx.timestamp).toLocaleTimeString()));
    row.appendChild(cell(tx.channel));
    row.appendChild(cell(tx.blockNumber));
    row.appendChild(cell(tx.function || '(config)'));
    row.appendChild(cell(tx.amount ? tx.amount + ' ' + (tx.currency || '') : ''));
    row.appendChild(cell(tx.validationCode, tx.validationCode === 'VALID' ? 'valid' : 'invalid'));
    const link = document.createElement('a');
    link.href = '/dashboard/transactions/' + encodeURIComponent(tx.txId);
    link.textContent = tx.txId.substring(0, 12) + '…';
    const idCell = cell('');
    idCell.appendChild(link);
    row.appendChild(idCell);
    table.prepend(row);
    while (table.rows.length > MAX_ROWS) table.deleteRow(table.rows.length - 1);
    const empty = document.querySelector('[data-testid="feed-empty"]');
    if (empty) empty.remove();
  });
})();
