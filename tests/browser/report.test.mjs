// Real-browser test of the HTML report: Debian's headless Chromium opens a generated report
// from a file:// URL and, over the Chrome DevTools Protocol (node's built-in WebSocket, no npm
// packages), we check that the plots are rendered and not empty, that the transcript lists
// every action, that the sortable tables sort, that no script error happened and that nothing
// was fetched from the network. A screenshot is saved to target/report-screenshot.png.
//
// Run from the repository root once the detente binary is built (scripts/test.sh does):
//   node tests/browser/report.test.mjs
// Environment: DETENTE_BIN (default target/debug/detente), CHROMIUM (default /usr/bin/chromium).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

// Node 20 has WebSocket only behind a flag: re-run this file with it.
if (typeof WebSocket === 'undefined') {
  const r = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.DETENTE_BIN ?? join(root, 'target', 'debug', 'detente');
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

function detente(args) {
  const r = spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `detente ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Starts Chromium on about:blank with a fresh profile; returns the process and its port. */
async function launch(profile) {
  const child = spawn(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
    '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
    '--window-size=1200,900', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const portFile = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 300; i++) {
    if (existsSync(portFile)) {
      const [port] = readFileSync(portFile, 'utf8').split('\n');
      if (port) return { child, port: Number(port) };
    }
    if (child.exitCode !== null) break;
    await delay(100);
  }
  try { process.kill(-child.pid); } catch { /* already gone */ }
  throw new Error(`chromium did not start (is ${chromium} installed?):\n${stderr}`);
}

/** A minimal CDP client over one WebSocket. */
class Cdp {
  constructor(ws) {
    this.ws = ws; this.id = 0; this.pending = new Map(); this.listeners = [];
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.id && this.pending.has(msg.id)) {
        const { ok, fail } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) fail(new Error(`${msg.error.message} ${msg.error.data ?? ''}`)); else ok(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners) l(msg);
      }
    });
  }
  static async connect(url) {
    const ws = new WebSocket(url);
    await new Promise((ok, fail) => { ws.addEventListener('open', ok); ws.addEventListener('error', fail); });
    return new Cdp(ws);
  }
  send(method, params = {}) {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => this.pending.set(id, { ok, fail }));
  }
  on(fn) { this.listeners.push(fn); }
  once(method, timeoutMs = 30000) {
    return new Promise((ok, fail) => {
      const t = setTimeout(() => fail(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.on((m) => { if (m.method === method) { clearTimeout(t); ok(m.params); } });
    });
  }
  async eval(expression) {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`page script failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  }
  close() { this.ws.close(); }
}

test('the HTML report renders in a real browser', async () => {
  assert.ok(existsSync(bin), `${bin} not found: run cargo build -p detente-cli first`);
  const work = mkdtempSync(join(tmpdir(), 'detente-browser-'));
  const profile = join(work, 'profile');
  mkdirSync(profile);
  // The built-in four-party peace talks, reported directly by `detente run --report`.
  const report = join(work, 'peace-talks.html');
  const trace = JSON.parse(detente(['run', '--json', '--seed', '42', '--report', report]));
  const nActions = trace.actions.length;
  const nParties = trace.parties.length;
  assert.ok(nActions > 0);

  const { child, port } = await launch(profile);
  let cdp;
  try {
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = targets.find((t) => t.type === 'page');
    assert.ok(page, 'no page target');
    cdp = await Cdp.connect(page.webSocketDebuggerUrl);
    const errors = [];
    const requests = [];
    cdp.on((m) => {
      if (m.method === 'Runtime.exceptionThrown') errors.push(m.params.exceptionDetails.text + ' ' + (m.params.exceptionDetails.exception?.description ?? ''));
      if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'assert')) errors.push(`console.${m.params.type}: ${JSON.stringify(m.params.args.map((a) => a.value))}`);
      if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') errors.push(`log: ${m.params.entry.text} ${m.params.entry.url ?? ''}`);
      if (m.method === 'Network.requestWillBeSent') requests.push(m.params.request.url);
    });
    await Promise.all(['Runtime.enable', 'Log.enable', 'Network.enable', 'Page.enable'].map((m) => cdp.send(m)));
    const loaded = cdp.once('Page.loadEventFired');
    await cdp.send('Page.navigate', { url: pathToFileURL(report).href });
    await loaded;

    assert.equal(await cdp.eval(`document.documentElement.getAttribute('data-ready')`), 'yes', 'the inline script ran');
    // Plots: present, laid out with a real size, and full of marks.
    const plots = await cdp.eval(`Array.from(document.querySelectorAll('svg.plot-utility-space, svg.plot-concession')).map(s => {
      const r = s.getBoundingClientRect();
      return { cls: s.getAttribute('class'), w: r.width, h: r.height, marks: s.querySelectorAll('circle, line, polyline, polygon, rect, text').length };
    })`);
    assert.equal(plots.length, 2, JSON.stringify(plots));
    for (const p of plots) {
      assert.ok(p.w > 300 && p.h > 300, `plot too small: ${JSON.stringify(p)}`);
      assert.ok(p.marks > 100, `plot nearly empty: ${JSON.stringify(p)}`);
    }
    const panels = await cdp.eval(`document.querySelectorAll('svg.plot-utility-space g.panel').length`);
    assert.equal(panels, nParties * (nParties - 1) / 2);
    const frontierBox = await cdp.eval(`(() => { const f = document.querySelector('polyline.frontier').getBBox(); return f.width * f.height; })()`);
    assert.ok(frontierBox > 0, 'the frontier is drawn');
    const offersDrawn = await cdp.eval(`document.querySelectorAll('svg.plot-utility-space circle.offer').length`);
    // Offers and the texts a mediator tabled (a mediating party's offers) are drawn alike.
    const offers = trace.actions.filter((a) => a.action === 'offer' || a.action === 'propose').length;
    assert.equal(offersDrawn, offers * nParties * (nParties - 1) / 2);
    // Transcript: every action, in order (collapsed when long: open it and check it shows).
    const rows = await cdp.eval(`Array.from(document.querySelectorAll('table.transcript tr.action')).map(r => [r.cells[1].textContent, r.cells[2].textContent])`);
    assert.equal(rows.length, nActions);
    const verb = { offer: 'offers', accept: 'accepts', end: 'walks out', propose: 'proposes' };
    rows.forEach(([party, action], i) => {
      // A neutral mediator is `mediator` in the trace and on the page alike.
      assert.equal(party, trace.actions[i].party, `row ${i}`);
      assert.equal(action, verb[trace.actions[i].action], `row ${i}`);
    });
    const shown = await cdp.eval(`(() => { const d = document.querySelector('details.transcript'); d.open = true; return d.querySelector('tr.action').getBoundingClientRect().height; })()`);
    assert.ok(shown > 0, 'the transcript opens');
    // Sortable table: clicking "final utility" sorts the parties by it.
    const sorted = await cdp.eval(`(() => {
      const t = document.querySelector('table.parties');
      const th = Array.from(t.tHead.rows[0].cells).find(c => c.textContent.startsWith('final utility'));
      th.click(); th.click();
      return Array.from(t.tBodies[0].rows).map(r => parseFloat(r.cells[4].textContent));
    })()`);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => b - a), `descending after two clicks: ${sorted}`);
    await cdp.eval(`(() => { const d = document.querySelector('details.transcript'); d.open = false; })()`);

    // Compliance timeline: one row per act in the trace, claims marked, the belief chart drawn.
    const acts = trace.compliance.filter((c) => c.kind === 'act').length;
    assert.ok(acts > 0, 'the built-in talks have a compliance phase');
    const ledger = await cdp.eval(`document.querySelectorAll('section.compliance table.compliance-ledger tr.compliance-round').length`);
    assert.equal(ledger, acts);
    const beliefs = await cdp.eval(`(() => { const s = document.querySelector('svg.plot-beliefs'); const r = s.getBoundingClientRect();
      return { w: r.width, h: r.height, lines: s.querySelectorAll('polyline.belief').length }; })()`);
    const pairs = new Set(trace.compliance.filter((c) => c.kind === 'belief').map((c) => `${c.holder}|${c.about}`)).size;
    assert.ok(beliefs.w > 300 && beliefs.h > 200, `belief chart too small: ${JSON.stringify(beliefs)}`);
    assert.equal(beliefs.lines, pairs);

    assert.deepEqual(errors, [], 'no script errors');
    const external = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && u !== 'about:blank');
    assert.deepEqual(external, [], 'nothing fetched from the network');

    // Screenshot of the whole page, as a test artefact.
    const height = await cdp.eval(`Math.min(document.documentElement.scrollHeight, 8000)`);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1200, height, deviceScaleFactor: 1, mobile: false });
    const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
    const out = join(root, 'target', 'report-screenshot.png');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, Buffer.from(shot.data, 'base64'));
    console.log(`screenshot: ${out}`);
  } finally {
    if (cdp) cdp.close();
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((ok) => { if (child.exitCode !== null) ok(); else child.on('exit', ok); });
    rmSync(work, { recursive: true, force: true });
  }
});
