/**
 * The script and styles of the drop box's upload page (upload-page.ts), as text: the page is one
 * self-contained HTML file that runs in the recipient's browser, so nothing here may import
 * anything, and the script is plain ES2017 that any current browser runs as it is.
 *
 * The script reads its settings from the page's JSON block (#drop-box-settings), uploads each
 * chosen or dropped file with one XMLHttpRequest (fetch reports no upload progress) as the
 * browser form S3 expects (the policy's fields, the key, the file's type, the file last), and
 * says in words what S3 answered: the error XML's Code and Message turned into a sentence.
 */

/** The page's styles: light and dark from the reader's system setting, no external fonts. */
export const UPLOAD_PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --accent: #0b57d0; --ok: #116329; --bad: #a40e26; --zone: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #3d444d; --accent: #6cb6ff;
    --ok: #57d364; --bad: #ff8182; --zone: #161b22; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2rem 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
p { margin: .25rem 0; }
.muted { color: var(--muted); }
.zone { display: block; margin: 1.5rem 0; padding: 2rem 1rem; border: 2px dashed var(--line);
  border-radius: 8px; background: var(--zone); text-align: center; cursor: pointer; }
.zone.over { border-color: var(--accent); }
.zone:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
.zone input { display: block; margin: .75rem auto 0; max-width: 100%; }
.closed { padding: .75rem 1rem; border: 1px solid var(--bad); border-radius: 6px; color: var(--bad); }
ul { list-style: none; margin: 0; padding: 0; }
li { border-top: 1px solid var(--line); padding: .75rem 0; }
.row { display: flex; gap: .75rem; align-items: baseline; flex-wrap: wrap; }
.name { font-weight: 600; overflow-wrap: anywhere; flex: 1 1 12rem; }
progress { width: 100%; height: .75rem; margin-top: .25rem; accent-color: var(--accent); }
.state-done { color: var(--ok); }
.state-failed { color: var(--bad); }
button { font: inherit; padding: .25rem .75rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); cursor: pointer; }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
`;

/** The page's script (see the module's comment). */
export const UPLOAD_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('drop-box-settings').textContent);
  var list = document.getElementById('files');
  var picker = document.getElementById('picker');
  var zone = document.getElementById('zone');
  var summary = document.getElementById('summary');
  var queue = [];
  var running = 0;
  var PARALLEL = 2;
  var counts = { done: 0, failed: 0, cancelled: 0 };

  function size(bytes) {
    if (bytes < 1024) return bytes + (bytes === 1 ? ' byte' : ' bytes');
    var units = ['KiB', 'MiB', 'GiB', 'TiB'];
    var value = bytes;
    var unit = 'bytes';
    for (var i = 0; i < units.length && value >= 1024; i++) { value = value / 1024; unit = units[i]; }
    return (Math.round(value * 10) / 10) + ' ' + unit;
  }
  var limitText = size(settings.maxSizeBytes);
  var expires = new Date(settings.expiresAt);

  function expired() { return Date.now() >= expires.getTime(); }

  function showClosed() {
    document.getElementById('closed').hidden = false;
    zone.hidden = true;
  }

  document.getElementById('where').textContent = settings.where;
  document.getElementById('limits').textContent =
    'Each file may be up to ' + limitText + '. This page works until ' +
    expires.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' }) + '.';
  if (expired()) showClosed();

  // What S3's error XML means for the person uploading, in words.
  function explain(status, body) {
    var code = '';
    var message = '';
    try {
      var xml = new DOMParser().parseFromString(body, 'application/xml');
      var codeNode = xml.getElementsByTagName('Code')[0];
      var messageNode = xml.getElementsByTagName('Message')[0];
      code = codeNode ? codeNode.textContent : '';
      message = messageNode ? messageNode.textContent : '';
    } catch (e) { /* not XML: the status says enough */ }
    if (code === 'EntityTooLarge') return 'Too large: this page accepts files of up to ' + limitText + '.';
    if (code === 'EntityTooSmall') return 'This file is empty: empty files cannot be uploaded here.';
    if (/expired/i.test(message)) {
      showClosed();
      return 'This upload link has expired. Ask the person who sent it for a new one.';
    }
    if (/condition/i.test(message)) {
      return 'Refused: the storage accepts files only in the folder this page was made for, and this one was not.';
    }
    if (code === 'AccessDenied' || code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId') {
      return 'Refused: this page is no longer valid (its permission was withdrawn or the page was changed). Ask the person who sent it for a new one.';
    }
    if (code === 'NoSuchBucket') return 'The place these files should go no longer exists. Tell the person who sent this page.';
    if (status >= 500 || code === 'SlowDown') return 'The storage service had a problem (' + (code || status) + '). Try this file again in a minute.';
    return 'The upload failed (' + (code || ('HTTP ' + status)) + (message ? ': ' + message : '') + ').';
  }

  function updateSummary() {
    var parts = [];
    if (counts.done) parts.push(counts.done + ' uploaded');
    if (counts.failed) parts.push(counts.failed + ' failed');
    if (counts.cancelled) parts.push(counts.cancelled + ' cancelled');
    var waiting = queue.length + running;
    if (waiting) parts.push(waiting + ' to go');
    summary.textContent = parts.join(', ');
  }

  function addRow(file) {
    var item = document.createElement('li');
    var row = document.createElement('div');
    row.className = 'row';
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = file.name;
    var bytes = document.createElement('span');
    bytes.className = 'muted';
    bytes.textContent = size(file.size);
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    cancel.setAttribute('aria-label', 'Cancel ' + file.name);
    row.appendChild(name);
    row.appendChild(bytes);
    row.appendChild(cancel);
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Progress of ' + file.name);
    var state = document.createElement('p');
    state.className = 'state';
    state.textContent = 'Waiting';
    item.appendChild(row);
    item.appendChild(bar);
    item.appendChild(state);
    list.appendChild(item);
    return { item: item, bar: bar, state: state, cancel: cancel };
  }

  function finish(view, kind, text) {
    view.state.textContent = text;
    view.state.className = 'state state-' + kind;
    view.cancel.hidden = true;
    if (kind === 'done') { view.bar.value = 100; counts.done++; }
    else if (kind === 'failed') counts.failed++;
    else counts.cancelled++;
    updateSummary();
  }

  function upload(task) {
    var file = task.file;
    var view = task.view;
    running++;
    var form = new FormData();
    Object.keys(settings.fields).forEach(function (name) { form.append(name, settings.fields[name]); });
    form.append('key', settings.keyPrefix + file.name);
    form.append('Content-Type', file.type || 'application/octet-stream');
    form.append('file', file, file.name);
    var xhr = new XMLHttpRequest();
    task.xhr = xhr;
    xhr.open('POST', settings.url);
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.floor((event.loaded / event.total) * 100);
      view.bar.value = percent;
      view.state.textContent = 'Uploading: ' + percent + '%';
    };
    function done() { running--; next(); }
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) finish(view, 'done', 'Uploaded');
      else finish(view, 'failed', explain(xhr.status, xhr.responseText));
      done();
    };
    xhr.onerror = function () {
      finish(view, 'failed', 'Could not reach the storage service, or it does not accept uploads from this page (its CORS settings). Check your connection and try again; if it keeps failing, tell the person who sent this page.');
      done();
    };
    xhr.onabort = function () { finish(view, 'cancelled', 'Cancelled'); done(); };
    view.state.textContent = 'Uploading: 0%';
    xhr.send(form);
  }

  function next() {
    while (running < PARALLEL && queue.length > 0) upload(queue.shift());
    updateSummary();
  }

  function add(files) {
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      var view = addRow(file);
      if (expired()) { showClosed(); finish(view, 'failed', 'This upload link has expired. Ask the person who sent it for a new one.'); continue; }
      if (file.size > settings.maxSizeBytes) { finish(view, 'failed', 'Too large: this page accepts files of up to ' + limitText + '.'); continue; }
      if (file.size === 0) { finish(view, 'failed', 'This file is empty: empty files cannot be uploaded here.'); continue; }
      var task = { file: file, view: view, xhr: null };
      view.cancel.onclick = (function (t) {
        return function () {
          if (t.xhr) { t.xhr.abort(); return; }
          var at = queue.indexOf(t);
          if (at >= 0) queue.splice(at, 1);
          finish(t.view, 'cancelled', 'Cancelled');
        };
      })(task);
      queue.push(task);
    }
    next();
  }

  picker.addEventListener('change', function () { add(picker.files); picker.value = ''; });
  zone.addEventListener('dragover', function (event) { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
  zone.addEventListener('drop', function (event) {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer) add(event.dataTransfer.files);
  });
})();
`;
