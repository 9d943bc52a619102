// The triage dashboard's page: plain JavaScript, no libraries, nothing loaded from elsewhere.
// Views arrive as server-sent events; rows (one per case) are kept by case so their images are fetched once.
'use strict';

const $ = (id) => document.getElementById(id);
let clockOffsetMs = 0;          // server clock minus this browser's, from each view's nowMs
let queueStream = null;
let operationsStream = null;
let rolloutStream = null;
const rowsByCase = new Map();

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function toLogin() {
  location.assign('/login.html');
}

/** The session, or null when it has ended (the server then answers with the login page). */
async function session() {
  const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  const json = response.ok && (response.headers.get('content-type') || '').includes('application/json');
  return json ? response.json() : null;
}

function setLive(on) {
  $('live').textContent = on ? 'live' : 'reconnecting';
  $('live').className = on ? 'live on' : 'live off';
}

/** An EventSource that reconnects while the session lasts and goes to the login page when it has ended. */
function follow(url, onView) {
  const source = new EventSource(url);
  source.onopen = () => setLive(true);
  source.onmessage = (event) => onView(JSON.parse(event.data));
  source.onerror = async () => {
    setLive(false);
    if (source.readyState === EventSource.CLOSED && !(await session())) toLogin();
  };
  return source;
}

function waiting(receivedAtMs) {
  const s = Math.max(0, Math.round((Date.now() + clockOffsetMs - receivedAtMs) / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

// ---- clinician: the queue -------------------------------------------------------------------------------

function queueUrl() {
  const params = new URLSearchParams({
    clinic: $('filter-clinic').value, priority: $('filter-priority').value, status: $('filter-status').value });
  return '/api/queue/stream?' + params;
}

function openQueue() {
  if (queueStream) queueStream.close();
  queueStream = follow(queueUrl(), renderQueue);
}

async function review(eventId, action) {
  const response = await fetch('/api/results/' + encodeURIComponent(eventId) + '/review', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ action }) });
  if (!response.ok || !(response.headers.get('content-type') || '').includes('application/json')) {
    if (!(await session())) toLogin();
    else alert('The review was not saved (' + response.status + '). Try again.');
  }
}

function probabilityBar(p, threshold) {
  const bar = el('div', { class: 'pbar', title: 'p(melanoma) ' + p.toFixed(3) + ', threshold ' + threshold.toFixed(3) });
  bar.append(el('div', { class: 'pfill' + (p >= threshold ? ' over' : '') }),
             el('div', { class: 'pmark' }));
  bar.firstChild.style.width = (100 * p).toFixed(1) + '%';
  bar.lastChild.style.left = (100 * threshold).toFixed(1) + '%';
  return el('div', { class: 'pcell' }, bar, el('span', { class: 'pvalue' }, p.toFixed(3) + ' / ' + threshold.toFixed(3)));
}

function queueRow(row) {
  const button = el('button', { class: 'review' });
  const tr = el('tr', { 'data-case-ref': row.caseRef },
    el('td', { class: 'thumbs' }), el('td', { class: 'case' }, row.caseRef), el('td', { class: 'clinic' }, row.clinicId),
    el('td', { class: 'prio' }), el('td', { class: 'p' }),
    el('td', { class: 'model' }, row.model), el('td', { class: 'waiting' }), el('td', {}, button));
  // A review covers the case's images up to the newest shown: the row's reviewEventId, read when clicked.
  button.addEventListener('click', () => review(tr.dataset.reviewEventId,
    tr.dataset.reviewed === 'true' ? 'REOPENED' : 'REVIEWED'));
  return tr;
}

/** One thumbnail per image of the case, most urgent first; each fetched once, kept while the case is shown. */
function updateThumbnails(cell, images) {
  const wanted = images.map((image) => image.eventId).join(' ');
  if (cell.dataset.images === wanted) return;
  const old = new Map([...cell.querySelectorAll('img')].map((img) => [img.dataset.eventId, img]));
  cell.replaceChildren(...images.map((image) => {
    let img = old.get(image.eventId);
    if (!img) {
      img = el('img', { alt: 'lesion image', loading: 'lazy', width: 64, height: 64, 'data-event-id': image.eventId });
      img.src = '/api/results/' + encodeURIComponent(image.eventId) + '/thumbnail';
    }
    img.title = image.priority + ', p(melanoma) ' + image.melanomaProbability.toFixed(3);
    img.className = image.priority + (image.reviewed ? ' reviewed' : '');
    return img;
  }));
  cell.dataset.images = wanted;
}

function updateRow(tr, row) {
  tr.dataset.eventId = row.eventId;
  tr.dataset.reviewEventId = row.reviewEventId;
  tr.dataset.images = String(row.images.length);
  updateThumbnails(tr.querySelector('td.thumbs'), row.images);
  tr.querySelector('td.prio').replaceChildren(el('span', { class: 'priority ' + row.priority }, row.priority),
    ...(row.images.length > 1 ? [el('span', { class: 'count' }, ' ' + row.images.length + ' images')] : []));
  tr.querySelector('td.p').replaceChildren(probabilityBar(row.melanomaProbability, row.threshold));
  tr.dataset.reviewed = String(row.reviewed);
  tr.dataset.receivedAt = String(row.receivedAtMs);
  tr.classList.toggle('reviewed', row.reviewed);
  tr.querySelector('button.review').textContent = row.reviewed ? 'Reopen' : 'Mark reviewed';
  tr.querySelector('button.review').title = row.reviewed
    ? 'Reviewed by ' + row.reviewer + ' at ' + new Date(row.reviewedAtMs).toLocaleString() : 'Mark this case reviewed';
  tr.querySelector('td.waiting').textContent = row.reviewed ? 'reviewed by ' + row.reviewer : waiting(row.receivedAtMs);
}

function renderQueue(view) {
  clockOffsetMs = view.nowMs - Date.now();
  const clinicSelect = $('filter-clinic');
  const known = new Set([...clinicSelect.options].map((o) => o.value));
  for (const clinic of view.clinics) {
    if (!known.has(clinic)) clinicSelect.append(el('option', { value: clinic }, clinic));
  }
  const body = $('queue').tBodies[0];
  const shown = new Set();
  view.rows.forEach((row, index) => {
    let tr = rowsByCase.get(row.caseRef);
    if (!tr) {
      tr = queueRow(row);
      rowsByCase.set(row.caseRef, tr);
    }
    updateRow(tr, row);
    if (body.children[index] !== tr) body.insertBefore(tr, body.children[index] || null);
    shown.add(row.caseRef);
  });
  for (const [caseRef, tr] of rowsByCase) {
    if (!shown.has(caseRef)) { tr.remove(); rowsByCase.delete(caseRef); }
  }
  $('queue-empty').hidden = view.rows.length > 0;
  $('queue-counts').textContent = view.openTotal + ' open (' + view.openUrgent + ' urgent) · showing '
    + view.rows.length + ' of ' + view.matching;
  $('queue-dropped').hidden = view.openDropped === 0;
  $('queue-dropped').textContent = view.openDropped + ' older routine open cases are beyond what this dashboard holds.';
}

function tickWaiting() {
  for (const tr of rowsByCase.values()) {
    if (tr.dataset.reviewed !== 'true') tr.querySelector('td.waiting').textContent = waiting(Number(tr.dataset.receivedAt));
  }
}

// ---- operator: the pipeline -----------------------------------------------------------------------------

function fmt(value, digits = 1, unit = '') {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits) + unit;
}

function fill(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

function renderOperations(view) {
  const t = view.topics, s = view.service, i = view.instance;
  const serviceNote = s.error ? 'service metrics unavailable: ' + s.error : '';
  fill($('ops-rates'), [
    ['results/s (topic, last minute)', fmt(t.resultsPerSecond, 2)],
    ['dead letters/s (topic)', fmt(t.deadLettersPerSecond, 2)],
    ['events in/s (service)', s.error ? '–' : fmt(s.eventsInPerSecond, 2)],
    ['results read', String(t.results)], ['dead letters read', String(t.deadLetters)]]);
  fill($('ops-latency'), [
    ['scored p50 / p95 / p99 (topic)', ['p50', 'p95', 'p99'].map((k) => fmt(t.endToEndMs[k], 0)).join(' / ') + ' ms'],
    ['visible here p50 / p95 / p99', ['p50', 'p95', 'p99'].map((k) => fmt(t.visibleMs[k], 0)).join(' / ') + ' ms'],
    ['service p50 / p95 / p99 (last minute)',
      ['p50', 'p95', 'p99'].map((k) => fmt(1000 * (s.endToEndSeconds[k] ?? NaN), 0)).join(' / ') + ' ms'],
    ['sample', t.latencySample + ' newest results']]);
  const model = s.model || {};
  fill($('ops-model'), [
    ['newest result', t.newestModel || '–'],
    ['service', model.name ? model.name + ' ' + model.version + ' on ' + model.device : serviceNote || '–'],
    ['sha256', model.sha256 ? model.sha256.slice(0, 12) : '–'],
    ...Object.entries(t.resultsByModel).map(([name, count]) => ['results by ' + name, String(count)])]);
  fill($('ops-batches'), [
    ['mean (service, last minute)', fmt(s.meanBatchSize, 1)],
    ...Object.entries(t.batchSizes).map(([size, count]) => ['size ' + size, count + ' results'])]);
  fill($('ops-instance'), [
    ['group', i.group], ['caught up', i.caughtUp ? 'yes' : 'no, ' + i.partitionsBehind + ' partitions behind'],
    ['results held', String(i.resultsHeld)], ['reviews remembered', String(i.reviewsRemembered)],
    ['open dropped', String(i.openDropped)],
    ['comparison holds', i.comparison.liveScores + ' live, ' + i.comparison.shadowResults + ' shadow (at most '
      + i.comparison.cap + ' each)'], ['rollouts read', String(i.comparison.rollouts)],
    ['heap', (i.heapUsedBytes / 1048576).toFixed(0) + ' of ' + (i.heapMaxBytes / 1048576).toFixed(0) + ' MiB']]);
  const reasons = new Set([...Object.keys(t.deadLettersByReason), ...Object.keys(s.deadLettersByReason)]);
  $('ops-reasons').tBodies[0].replaceChildren(...[...reasons].sort().map((reason) => el('tr', {},
    el('td', {}, reason), el('td', {}, String(t.deadLettersByReason[reason] ?? 0)),
    el('td', {}, s.error ? '–' : String(s.deadLettersByReason[reason] ?? 0)))));
  $('ops-letters').tBodies[0].replaceChildren(...t.newestDeadLetters.map((letter) => {
    const tr = el('tr', { class: 'clickable', 'data-reason': letter.reasonCode },
      el('td', {}, new Date(letter.failedAtMs).toLocaleTimeString()), el('td', {}, letter.reasonCode),
      el('td', {}, letter.sourceTopic + '/' + letter.sourcePartition + '@' + letter.sourceOffset),
      el('td', {}, letter.eventId || '–'));
    tr.addEventListener('click', () => {
      $('ops-letter-detail').hidden = false;
      $('ops-letter-detail').textContent = JSON.stringify(letter, null, 2);
    });
    return tr;
  }));
}

// ---- operator: the model rollout ------------------------------------------------------------------------

const ARROW = ' \u2192 ';

function openRollout() {
  if (rolloutStream) rolloutStream.close();
  const params = new URLSearchParams({ window: $('rollout-window').value });
  rolloutStream = follow('/api/operations/rollout/stream?' + params, renderRollout);
}

function model(v) {
  return v.name + ' ' + v.version;
}

function since(ms) {
  return new Date(ms).toLocaleString() + ' (' + waiting(ms) + ' ago)';
}

function percent(share) {
  return share === null || share === undefined ? '\u2013' : (100 * share).toFixed(1) + ' %';
}

function signed(value, digits = 3) {
  return value === null || value === undefined ? '\u2013' : (value >= 0 ? '+' : '') + value.toFixed(digits);
}

function renderRollout(view) {
  clockOffsetMs = view.nowMs - Date.now();
  const shadow = view.shadow, canary = view.canary, gate = view.gate, c = view.comparison;
  const lines = [
    ['live', view.live ? model(view.live) + ' since ' + since(view.live.sinceMs)
      : 'no activation recorded: the model the service was started with'],
    ['shadow', !shadow ? 'none'
      : model(shadow.rollout) + (shadow.inEffect ? ' since ' + since(shadow.rollout.sinceMs)
        : shadow.endedAtMs ? ', ended ' + since(shadow.endedAtMs) : ', dormant: it is the live version')],
    ['canary', canary ? model(canary.rollout) + ' since ' + since(canary.rollout.sinceMs) + ' for ' + canary.scope
      : 'none']];
  if (gate) {
    lines.push(['last gate', gate.version + ' ' + (gate.passed ? 'passed' : gate.forced ? 'refused, activated anyway'
      : 'refused') + ' ' + since(gate.atMs) + ': ' + gate.findings]);
  }
  fill($('rollout-versions'), lines);

  $('rollout-canary').hidden = !canary;
  if (canary) {
    const on = canary.clinicsSeen.filter((clinic) => clinic.onCanary);
    $('rollout-canary-clinics').replaceChildren(...on.map((clinic) => el('li', { 'data-clinic': clinic.clinicId },
      clinic.clinicId + (clinic.named ? ' (named)' : ' (hash ' + clinic.position.toFixed(3) + ' < '
        + canary.clinicFraction + ')'))));
    const others = canary.clinicsSeen.length - on.length;
    $('rollout-canary-others').textContent = (on.length === 0 ? 'None of the clinics seen is on it. ' : '')
      + others + ' other clinic' + (others === 1 ? '' : 's') + ' seen in the window keep' + (others === 1 ? 's' : '')
      + ' the live version.';
  }

  fill($('rollout-summary'), [
    ['images compared', c.joined + (c.joined ? ' (' + c.shadowModels + ' beside ' + c.liveModels + ')' : '')],
    ['agreement', percent(c.agreement)],
    ['URGENT' + ARROW + 'ROUTINE', String(c.urgentToRoutine)],
    ['ROUTINE' + ARROW + 'URGENT', String(c.routineToUrgent)],
    ['URGENT live / shadow', c.liveUrgent + ' / ' + c.shadowUrgent],
    ['mean shift of p(melanoma)', signed(c.meanDelta) + ' (mean |shift| ' + fmt(c.meanAbsDelta, 3)
      + ', largest ' + fmt(c.maxAbsDelta, 3) + ')'],
    ['live results without a shadow result', String(c.liveOnly)]]);
  $('rollout-summary').querySelectorAll('dd')[2].classList.toggle('danger', c.urgentToRoutine > 0);
  const held = view.held;
  $('rollout-coverage').hidden = c.complete;
  $('rollout-coverage').textContent = 'This dashboard holds results only from ' + since(c.coveredFromMs)
    + ' (the newest ' + held.cap + ' per side, none older than ' + Math.round(held.maxAgeMs / 86400000)
    + ' days): the window is cut there.';

  $('rollout-clinics').tBodies[0].replaceChildren(...c.byClinic.map((row) => {
    const clinic = el('td', { class: 'clinic' }, row.clinicId);
    if (row.onCanary) clinic.append(el('span', { class: 'badge canary', title: 'on the canary' }, 'canary'));
    return el('tr', { 'data-clinic': row.clinicId, class: row.urgentToRoutine > 0 ? 'flipped' : '' },
      clinic, el('td', {}, String(row.joined)),
      el('td', { class: 'u2r' + (row.urgentToRoutine > 0 ? ' danger' : '') }, String(row.urgentToRoutine)),
      el('td', { class: 'r2u' }, String(row.routineToUrgent)), el('td', {}, percent(row.agreement)),
      el('td', {}, signed(row.meanDelta)));
  }));
  $('rollout-empty').hidden = c.byClinic.length > 0;
}

// ---- start ----------------------------------------------------------------------------------------------

function show(view) {
  for (const name of ['queue', 'operations']) {
    $('view-' + name).hidden = name !== view;
    $('tab-' + name).classList.toggle('active', name === view);
  }
  if (view === 'queue' && !queueStream) openQueue();
  if (view === 'operations' && !operationsStream) {
    operationsStream = follow('/api/operations/stream', renderOperations);
    openRollout();
  }
}

async function start() {
  const me = await session();
  if (!me) return toLogin();
  $('user').textContent = me.user;
  const clinician = me.roles.includes('clinician');
  const operator = me.roles.includes('operator');
  $('tab-queue').hidden = !clinician;
  $('tab-operations').hidden = !operator;
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
  for (const id of ['filter-clinic', 'filter-priority', 'filter-status']) $(id).addEventListener('change', openQueue);
  $('rollout-window').addEventListener('change', openRollout);
  setInterval(tickWaiting, 1000);
  if (clinician) show('queue');
  else if (operator) show('operations');
  else $('user').textContent = me.user + ' (no dashboard role)';
}

start();
