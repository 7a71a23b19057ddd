/* The sidebar: open tasks, each with a button that marks it done. Task text only ever goes through textContent. */
(function () {
  'use strict';
  var page = window.TasksPage;

  function taskItem(task) {
    var item = document.createElement('li');
    item.className = 'task';
    item.setAttribute('data-number', String(task.number));
    var number = document.createElement('span');
    number.className = 'task-number';
    number.textContent = '#' + task.number;
    var text = document.createElement('span');
    text.className = 'task-text';
    text.textContent = task.text;
    item.append(number, ' ', text);
    if (task.assignee) {
      var assignee = document.createElement('span');
      assignee.className = 'task-assignee';
      assignee.textContent = '@' + task.assignee;
      item.append(' ', assignee);
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'complete';
    button.setAttribute('data-number', String(task.number));
    button.textContent = 'Done';
    item.append(' ', button);
    return item;
  }

  function render(result) {
    var list = document.getElementById('tasks');
    list.replaceChildren.apply(list, result.tasks.map(taskItem));
    var open = result.openCount;
    document.getElementById('summary').textContent =
      open === 0 ? 'No open tasks.' : open + ' open task' + (open === 1 ? '' : 's');
  }

  function refresh() {
    return page.api('GET', '/api/tasks').then(render);
  }

  function complete(number) {
    page.status('Marking #' + number + ' done…');
    page
      .api('PATCH', '/api/tasks/' + encodeURIComponent(number), { done: true })
      .then(refresh)
      .then(function () { page.status('#' + number + ' done.'); })
      .catch(function (error) { page.status(error.message, true); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('tasks').addEventListener('click', function (event) {
      var target = event.target;
      if (target instanceof HTMLButtonElement && target.classList.contains('complete')) {
        target.disabled = true;
        complete(target.getAttribute('data-number'));
      }
    });
    document.getElementById('refresh').addEventListener('click', function () {
      refresh().catch(function (error) { page.status(error.message, true); });
    });
  });
})();
