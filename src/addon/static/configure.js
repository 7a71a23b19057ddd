/* The configuration page: the installation's settings (PUT /api/settings) and its incoming hooks (/api/hooks). */
(function () {
  'use strict';
  var page = window.TasksPage;

  function hooksStatus(text, isError) {
    var element = document.getElementById('hooks-status');
    element.textContent = text;
    element.className = isError ? 'status error' : 'status';
  }

  function cell(row, text) {
    row.insertCell().textContent = text;
  }

  function renderHooks(hooks) {
    var body = document.getElementById('hooks').tBodies[0];
    body.textContent = '';
    hooks.forEach(function (hook) {
      var row = body.insertRow();
      cell(row, hook.label || '(no label)');
      cell(row, String(hook.roomId));
      cell(row, new Date(hook.createdAt).toLocaleString());
      var revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', 'Revoke ' + (hook.label || 'hook'));
      revoke.addEventListener('click', function () {
        page
          .api('DELETE', '/api/hooks/' + encodeURIComponent(hook.id))
          .then(loadHooks)
          .then(function () { hooksStatus('Revoked. Its URL no longer works.'); })
          .catch(hooksError);
      });
      row.insertCell().appendChild(revoke);
    });
  }

  function loadHooks() {
    return page.api('GET', '/api/hooks').then(function (answer) { renderHooks(answer.hooks); });
  }

  function hooksError(error) {
    hooksStatus(error.message, true);
  }

  function newHookRequest() {
    var request = {};
    var label = document.getElementById('hook-label').value.trim();
    var room = document.getElementById('hook-room');
    if (label) request.label = label;
    if (room) request.roomId = Number(room.value);
    return request;
  }

  document.addEventListener('DOMContentLoaded', function () {
    // A user who is not a room admin gets the settings read-only and no hooks section (the API refuses them anyway).
    var settingsForm = document.getElementById('settings');
    if (settingsForm.getAttribute('data-read-only') !== 'true') settingsForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var settings = {
        announceNewTasks: document.getElementById('announce').checked,
        color: document.getElementById('color').value,
        remindOnEnter: document.getElementById('remind').checked,
      };
      page.status('Saving…');
      page
        .api('PUT', '/api/settings', settings)
        .then(function () { page.status('Saved.'); })
        .catch(function (error) { page.status(error.message, true); });
    });

    var hookForm = document.getElementById('new-hook');
    if (!hookForm) return;
    hookForm.addEventListener('submit', function (event) {
      event.preventDefault();
      hooksStatus('Creating…');
      page
        .api('POST', '/api/hooks', newHookRequest())
        .then(function (answer) {
          document.getElementById('hook-url').textContent = answer.url;
          document.getElementById('hook-created').hidden = false;
          hooksStatus('');
          return loadHooks();
        })
        .catch(hooksError);
    });

    loadHooks().catch(hooksError);
  });
})();
