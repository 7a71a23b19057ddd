/* The configuration page: saves the installation's settings through PUT /api/settings. */
(function () {
  'use strict';
  var page = window.TasksPage;
  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('settings').addEventListener('submit', function (event) {
      event.preventDefault();
      var settings = {
        announceNewTasks: document.getElementById('announce').checked,
        color: document.getElementById('color').value,
      };
      page.status('Saving…');
      page
        .api('PUT', '/api/settings', settings)
        .then(function () { page.status('Saved.'); })
        .catch(function (error) { page.status(error.message, true); });
    });
  });
})();
