/*
 * The create-task dialog. HipChat hands it the message a message action was used on through
 * "receive-parameters", and its Create/Cancel buttons through "dialog-button-click".
 */
(function () {
  'use strict';
  var page = window.TasksPage;

  function messageText(params) {
    if (!params) return '';
    var message = params.message;
    if (typeof message === 'string') return message;
    if (message && typeof message.message === 'string') return message.message;
    if (message && typeof message.body === 'string') return message.body;
    return typeof params.body === 'string' ? params.body : '';
  }

  function create() {
    var text = document.getElementById('text').value;
    page.status('Creating…');
    return page.api('POST', '/api/tasks', { text: text }).then(
      function (result) {
        page.status('Added #' + result.task.number + '.');
        return true;
      },
      function (error) {
        page.status(error.message, true);
        return false;
      }
    );
  }

  page.register({
    'receive-parameters': function (params) {
      var text = messageText(params);
      if (text) document.getElementById('text').value = text;
    },
    'dialog-button-click': function (event, closeDialog) {
      if (event && event.action === 'create') {
        create().then(function (ok) { closeDialog(ok); });
      } else {
        closeDialog(true);
      }
    },
  });

  document.addEventListener('DOMContentLoaded', function () {
    // Inside HipChat the dialog's own Create button is used; the form's button is for a page opened alone.
    if (window.HipChat && window.parent !== window) document.querySelector('#create-task .actions').hidden = true;
    document.getElementById('create-task').addEventListener('submit', function (event) {
      event.preventDefault();
      create().then(function (ok) {
        if (ok) document.getElementById('text').value = '';
      });
    });
  });
})();
