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
