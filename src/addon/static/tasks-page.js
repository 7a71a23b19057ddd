/*
 * Shared by the Tasks pages: the JSON API with a fresh JWT from HipChat.auth.withToken for every call.
 * The add-on accepts each signed change once (a repeated jti is refused as a replay), so the page's own
 * token serves reads and, should withToken be missing or fail (a page opened outside HipChat), one change.
 */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="tasks-token"]');
  var pageToken = meta ? meta.getAttribute('content') : null;
  var pageTokenChanged = false;

  function fallback(method) {
    if (method === 'GET') return pageToken;
    if (pageTokenChanged) return null;
    pageTokenChanged = true;
    return pageToken;
  }

  function withToken(method, callback) {
    var hipchat = window.HipChat;
    if (hipchat && hipchat.auth && typeof hipchat.auth.withToken === 'function') {
      hipchat.auth.withToken(function (err, token) {
        callback(!err && token ? token : fallback(method));
      });
    } else {
      callback(fallback(method));
    }
  }

  function api(method, path, body) {
    return new Promise(function (resolve, reject) {
      withToken(method, function (token) {
        if (!token) return reject(new Error('This page’s sign-in was used up: reload it to make another change.'));
        var headers = { Authorization: 'JWT ' + token, Accept: 'application/json' };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
          .then(function (response) {
            if (response.status === 204) return resolve(null);
            return response.json().then(function (json) {
              if (response.ok) resolve(json);
              else reject(new Error(json && json.error ? json.error.message : 'HTTP ' + response.status));
            });
          })
          .catch(reject);
      });
    });
  }

  function status(text, isError) {
    var element = document.getElementById('status');
    if (!element) return;
    element.textContent = text;
    element.className = isError ? 'status error' : 'status';
  }

  function register(handlers) {
    if (window.HipChat && typeof window.HipChat.register === 'function') window.HipChat.register(handlers);
  }

  window.TasksPage = { api: api, status: status, register: register };
})();
