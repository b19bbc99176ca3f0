// Pool map page. Every text goes through textContent (never innerHTML): pool, cluster and Service
// names come from files and clusters. Arrow keys move between cells, Enter/Space acts.
(function () {
  const vscode = acquireVsCodeApi();
  const map = document.getElementById('map');
  const details = document.getElementById('details');
  const LEGEND = [
    ['free', 'free'], ['allocated', 'allocated'], ['reserved', 'network/broadcast'], ['gateway', 'gateway'],
    ['excluded', 'excluded'], ['kubevip', 'kube-vip range'], ['service', 'LoadBalancer Service'], ['node', 'a node\'s address'], ['outside', 'not in the pool'],
  ];

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') node.textContent = v;
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children || []) node.appendChild(c);
    return node;
  }

  function say(text) {
    details.textContent = text;
  }

  function legend() {
    return el('ul', { class: 'legend', 'aria-label': 'Legend' }, LEGEND.map(([state, label]) => el('li', {}, [el('span', { class: `swatch ${state}` }), el('span', { text: label })])));
  }

  function grid(data, connected) {
    const table = el('table', { class: 'grid', role: 'grid', 'aria-label': `Addresses of ${data.title}` });
    const cells = [];
    data.rows.forEach((row, r) => {
      const tr = el('tr', { role: 'row' }, [el('th', { scope: 'row', class: 'addr', text: row.label })]);
      row.cells.forEach((c, i) => {
        const last = c.address.split(/[.:]/).pop();
        const label = `${c.address}: ${c.detail}`;
        const button = el('button', { class: `cell ${c.state}`, title: label, 'aria-label': label, tabindex: '-1', 'data-r': String(r), 'data-c': String(i), text: last });
        button.addEventListener('mouseenter', () => say(label));
        button.addEventListener('focus', () => say(label + (c.state === 'free' ? (connected ? ' — Enter: allocate a VIP from this pool for the cluster of the last YAML editor' : ' — Enter: copy') : '')));
        if (c.state === 'free') button.addEventListener('click', () => vscode.postMessage({ type: 'allocate', address: c.address }));
        cells.push(button);
        tr.appendChild(el('td', { role: 'gridcell' }, [button]));
      });
      table.appendChild(tr);
    });
    const first = cells.find((b) => b.classList.contains('free')) || cells[0];
    if (first) first.tabIndex = 0;
    table.addEventListener('keydown', (e) => {
      const at = document.activeElement;
      if (!at || !at.classList.contains('cell')) return;
      const r = Number(at.dataset.r), c = Number(at.dataset.c);
      const to = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], Home: [r, 0], End: [r, 15] }[e.key];
      if (!to) return;
      const next = table.querySelector(`button[data-r="${to[0]}"][data-c="${to[1]}"]`);
      if (!next) return;
      e.preventDefault();
      at.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
    return table;
  }

  function blocks(data) {
    const list = el('div', { role: 'list', 'aria-label': `Blocks of ${data.title}` });
    for (const b of data.blocks) {
      const total = Number(b.inPool) || 1;
      const bar = el('span', { class: 'bar', 'aria-hidden': 'true' }, [
        ['allocated', b.allocated], ['reserved', b.reserved], ['free', b.free],
      ].map(([state, n]) => { const s = el('span', { class: state }); s.style.width = `${(100 * Number(n)) / total}%`; return s; }));
      const text = `${b.block}: ${b.allocated} allocated, ${b.free} free, ${b.reserved} reserved of ${b.inPool}`;
      const row = el('button', { class: 'block', role: 'listitem', title: `${text} — Enter: zoom in`, 'aria-label': `${text}. Zoom in.` }, [
        el('span', { class: 'addr', text: b.block }), bar, el('span', { class: 'counts', text: `${b.allocated} used · ${b.free} free · ${b.reserved} reserved` }),
      ]);
      row.addEventListener('mouseenter', () => say(text));
      row.addEventListener('focus', () => say(text));
      row.addEventListener('click', () => vscode.postMessage({ type: 'zoom', block: b.block }));
      list.appendChild(row);
    }
    return list;
  }

  function render(data, connected) {
    map.replaceChildren();
    map.appendChild(el('h1', { text: data.zoom ? `${data.title} — ${data.zoom}` : data.title }));
    if (data.zoom) {
      const back = el('button', { class: 'back', text: 'Back to all blocks' });
      back.addEventListener('click', () => vscode.postMessage({ type: 'zoom' }));
      map.appendChild(back);
    }
    map.appendChild(legend());
    if (data.note) map.appendChild(el('p', { class: 'note', text: data.note }));
    map.appendChild(data.mode === 'blocks' ? blocks(data) : grid(data, connected));
    say(data.mode === 'blocks' ? 'One row per block of 256 addresses: Enter zooms in.' : 'Arrow keys move between addresses; a free address allocates (or copies, offline).');
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'map') render(m.data, m.connected);
    else if (m.type === 'error') { map.replaceChildren(el('p', { text: `Could not draw the pool: ${m.message}` })); }
  });
  vscode.postMessage({ type: 'ready' });
})();
