/**
 * The /connect page's browser script, served as /connect/connect.js (the page's CSP allows scripts
 * from this origin only). It sends the admin token as a Bearer header to the JSON API and builds the
 * page with textContent, never innerHTML, so nothing from the server is interpreted as markup.
 */
export const CONNECT_PAGE_SCRIPT = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };

  function api(method, path, body) {
    var headers = { Authorization: 'Bearer ' + $('admin-token').value };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (res) {
        if (res.status === 204) return {};
        return res.json().then(function (json) {
          if (!res.ok) throw new Error((json.error && json.error.message) || ('HTTP ' + res.status));
          return json;
        });
      });
  }

  function show(id, lines, isError) {
    var box = $(id);
    box.textContent = '';
    box.className = 'result' + (isError ? ' error' : '');
    lines.forEach(function (line) {
      var p = document.createElement('p');
      if (line.code) { var c = document.createElement('code'); c.textContent = line.code; p.textContent = line.text + ' '; p.appendChild(c); }
      else p.textContent = line.text;
      box.appendChild(p);
    });
  }

  function cell(row, text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }
  function roomLabel(c) { return c.roomName ? c.roomName + ' (' + c.roomId + ')' : String(c.roomId); }

  function button(row, text, onClick) {
    var b = document.createElement('button');
    b.type = 'button'; b.className = 'danger'; b.textContent = text; b.addEventListener('click', onClick);
    cell(row, '').appendChild(b);
  }

  function load() {
    return Promise.all([api('GET', '/api/connections'), api('GET', '/api/hooks')]).then(function (r) {
      var connections = r[0].connections, hooks = r[1].hooks, rooms = {};
      var tbody = $('connections').tBodies[0], select = document.querySelector('#new-hook select');
      tbody.textContent = ''; select.textContent = '';
      connections.forEach(function (c) {
        rooms[c.id] = roomLabel(c);
        var row = tbody.insertRow();
        cell(row, roomLabel(c) + (c.tokenRefusedAt ? ' — token refused by HipChat' : ''));
        cell(row, c.hipchatUrl); cell(row, new Date(c.createdAt).toLocaleString());
        button(row, 'Disconnect', function () {
          if (confirm('Disconnect this room? Its hooks stop working.')) api('DELETE', '/api/connections/' + c.id).then(load, fail('connect-result'));
        });
        var option = document.createElement('option'); option.value = c.id; option.textContent = roomLabel(c); select.appendChild(option);
      });
      var hookBody = $('hooks').tBodies[0];
      hookBody.textContent = '';
      hooks.forEach(function (h) {
        var row = hookBody.insertRow();
        cell(row, h.label || '—'); cell(row, h.connectionId ? (rooms[h.connectionId] || h.roomId) : h.roomId + ' (installed)');
        cell(row, new Date(h.createdAt).toLocaleString());
        button(row, 'Revoke', function () {
          if (confirm('Revoke this hook? Its URL stops working at once.')) api('DELETE', '/api/hooks/' + h.id).then(load, fail('hook-result'));
        });
      });
    }, fail('connect-result'));
  }

  function fail(id) { return function (error) { show(id, [{ text: error.message }], true); }; }

  function formData(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name && el.value.trim() !== '') data[el.name] = el.value.trim(); });
    return data;
  }

  function onConnect(event) {
    event.preventDefault();
    var form = event.target;
    api('POST', '/api/connections', formData(form)).then(function (r) {
      form.reset();
      show('connect-result', [
        { text: 'Connected room ' + roomLabel(r.connection) + '. A notification was sent to it.' },
        { text: 'Slash command URL for the integration (shown only now):', code: r.commandUrl },
      ]);
      return load();
    }, fail('connect-result'));
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('load').addEventListener('click', load);
    $('connect-url').addEventListener('submit', onConnect);
    $('connect-token').addEventListener('submit', onConnect);
    $('new-hook').addEventListener('submit', function (event) {
      event.preventDefault();
      api('POST', '/api/hooks', formData(event.target)).then(function (r) {
        event.target.reset();
        show('hook-result', [{ text: 'Hook created. Its URL (shown only now):', code: r.url },
          { text: 'Try it:', code: "curl -d '{\\"text\\":\\"Hello\\"}' " + r.url }]);
        return load();
      }, fail('hook-result'));
    });
  });
})();
`;
