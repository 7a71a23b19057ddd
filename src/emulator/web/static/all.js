/*
 * HipChat's JavaScript API as served by the HipChat emulator (/atlassian-connect/all.js).
 * Add-on pages inside the client's sidebar, dialogs and configuration page talk to the client over
 * postMessage: HipChat.auth.withToken, HipChat.dialog.open/close/update/updatePrimaryAction,
 * HipChat.sidebar.openView/closeView, HipChat.chat.appendMessage and HipChat.register.
 */
(function () {
  'use strict';
  if (window.HipChat && window.HipChat.emulated) return;

  function hostOrigin() {
    var script = document.currentScript;
    if (!script) {
      var scripts = document.querySelectorAll('script[src*="/atlassian-connect/all.js"]');
      script = scripts[scripts.length - 1];
    }
    return script ? new URL(script.src, location.href).origin : null;
  }

  var origin = hostOrigin();
  var host = window.parent !== window ? window.parent : null;
  var nextId = 1;
  var callbacks = {};
  var handlers = {};
  var undelivered = [];

  function send(method, args, callback) {
    if (!host || !origin) {
      if (callback) setTimeout(function () { callback(new Error('This page is not inside the HipChat client')); }, 0);
      return;
    }
    var id = nextId++;
    if (callback) callbacks[id] = callback;
    host.postMessage({ hipchat: 'addon', id: id, method: method, args: args === undefined ? null : args }, origin);
  }

  // Events wait for the DOM, so handlers registered in <head> can find the page's elements.
  var domReady = document.readyState !== 'loading';
  if (!domReady) {
    document.addEventListener('DOMContentLoaded', function () {
      domReady = true;
      flush();
    });
  }

  function flush() {
    var pending = undelivered;
    undelivered = [];
    pending.forEach(deliver);
  }

  function deliver(message) {
    var handler = handlers[message.event];
    if (!handler || !domReady) {
      undelivered.push(message);
      return;
    }
    if (message.event === 'dialog-button-click') {
      handler(message.data, function closeDialog(close) {
        if (close) send('dialog.close');
      });
    } else {
      handler(message.data);
    }
  }

  window.addEventListener('message', function (event) {
    if (!host || event.source !== host || event.origin !== origin) return;
    var message = event.data;
    if (!message || message.hipchat !== 'host') return;
    if (message.replyTo) {
      var callback = callbacks[message.replyTo];
      delete callbacks[message.replyTo];
      if (callback) callback(message.error ? new Error(message.error) : null, message.result);
    } else if (typeof message.event === 'string') {
      deliver(message);
    }
  });

  window.HipChat = {
    emulated: true,
    auth: {
      /** callback(err, token): a fresh JWT for this page's installation, room and user. */
      withToken: function (callback) {
        send('auth.withToken', null, function (error, token) {
          callback(error, error ? undefined : token);
        });
      },
    },
    dialog: {
      open: function (options) { send('dialog.open', options || {}); },
      update: function (options) { send('dialog.update', options || {}); },
      updatePrimaryAction: function (options) { send('dialog.updatePrimaryAction', options || {}); },
      close: function () { send('dialog.close'); },
    },
    sidebar: {
      openView: function (options) { send('sidebar.openView', options || {}); },
      closeView: function () { send('sidebar.closeView'); },
    },
    chat: {
      appendMessage: function (text) { send('chat.appendMessage', String(text)); },
    },
    /** HipChat.register({'receive-parameters': fn, 'dialog-button-click': fn(event, closeDialog), '<action key>': fn}) */
    register: function (table) {
      Object.keys(table || {}).forEach(function (name) {
        if (typeof table[name] === 'function') handlers[name] = table[name];
      });
      send('register', Object.keys(handlers));
      flush();
    },
  };

  send('ready');
})();
