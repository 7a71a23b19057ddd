/* Shared by the Tasks pages: the JSON API with a JWT from HipChat.auth.withToken (or the page's own). */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="tasks-token"]');
  var pageToken = meta ? meta.getAttribute('content') : null;

  function withToken(callback) {
    var hipchat = window.HipChat;
    if (hipchat && hipchat.auth && typeof hipchat.auth.withToken === 'function') {
      hipchat.auth.withToken(function (err, token) {
        callback(!err && token ? token : pageToken);
      });
    } else {
      callback(pageToken);
    }
  }

  function api(method, path, body) {
    return new Promise(function (resolve, reject) {
      withToken(function (token) {
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
